#pragma once
// Asks which HMAC key file to verify with (optional: without one, AUDIT_HMAC_KEY or no key). Only the file's
// path may be remembered, never the key; the file is read when verification starts.
#include <QDialog>
#include <optional>

class QCheckBox;
class QLineEdit;

namespace caracal::ui {

class HmacKeyDialog : public QDialog {
    Q_OBJECT
  public:
    explicit HmacKeyDialog(QWidget* parent = nullptr);
    QString keyFile() const;
    QLineEdit* pathEdit() const { return m_path; }
    QCheckBox* rememberBox() const { return m_remember; }
    // Saves the path (or forgets it) as the box says; called on accept.
    void storeChoice() const;
    // Shows the dialog; the chosen path ("" for none), or nothing when cancelled.
    static std::optional<QString> ask(QWidget* parent);

  private:
    QLineEdit* m_path;
    QCheckBox* m_remember;
};

} // namespace caracal::ui
