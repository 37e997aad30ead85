#include "integrity/HmacKeyDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace caracal::ui {

namespace {
const char* kSetting = "integrity/hmacKeyFile"; // a path; the key itself is never stored
}

HmacKeyDialog::HmacKeyDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle("Verify integrity");
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel("Caracal's chain_hmac proves that Caracal itself wrote each row. To check it, "
                             "choose the file that holds "
                             "the deployment's AUDIT_HMAC_KEY (hex). Without one, the AUDIT_HMAC_KEY "
                             "environment variable is used if "
                             "set; otherwise content hashes, links and sequence numbers are still checked.",
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* row = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setPlaceholderText("Key file (optional)");
    m_path->setAccessibleName("Key file");
    auto* browse = new QPushButton("Browse…", this);
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    layout->addLayout(row);
    m_remember = new QCheckBox("Remember this file's path (the key itself is never saved)", this);
    layout->addWidget(m_remember);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText("Verify");
    layout->addWidget(buttons);
    const QString remembered = QSettings().value(kSetting).toString();
    m_path->setText(remembered);
    m_remember->setChecked(!remembered.isEmpty());
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, "HMAC key file", m_path->text());
        if (!f.isEmpty()) m_path->setText(f);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        storeChoice();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString HmacKeyDialog::keyFile() const {
    return m_path->text().trimmed();
}

void HmacKeyDialog::storeChoice() const {
    QSettings settings;
    if (m_remember->isChecked() && !keyFile().isEmpty())
        settings.setValue(kSetting, keyFile());
    else
        settings.remove(kSetting);
}

std::optional<QString> HmacKeyDialog::ask(QWidget* parent) {
    HmacKeyDialog dialog(parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.keyFile();
}

} // namespace caracal::ui
