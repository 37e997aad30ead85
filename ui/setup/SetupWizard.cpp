#include "setup/SetupWizard.h"

#include "common/ScreenFit.h"
#include "common/TextFormat.h"
#include "setup/CheckListView.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace caracal::ui {

namespace {
QLabel* intro(const QString& text) {
    auto* l = new QLabel(text);
    l->setWordWrap(true);
    return l;
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
} // namespace

SetupWizard::SetupWizard(std::shared_ptr<const EventStore> store, QWidget* parent)
    : QWizard(parent), m_store(std::move(store)), m_env(SetupEnvironment::current()) {
    setWindowTitle("Guided setup check");
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveCustomButton1);
    setButtonText(QWizard::CustomButton1, "Re-run this page");
    fitToScreen(this, {860, 680});
    m_confirm = [this](const QString& question) {
        return QMessageBox::question(this, "Apply this fix?", question) == QMessageBox::Yes;
    };
    setPage(ReadinessPage, buildReadinessPage());
    setPage(ProfilePage, buildProfilePage());
    setPage(FirstCallPage, buildFirstCallPage());
    setPage(DonePage, buildDonePage());
    connect(this, &QWizard::customButtonClicked, this, [this] {
        switch (currentId()) {
        case ReadinessPage:
            runReadiness();
            break;
        case ProfilePage:
            runProfile();
            break;
        case FirstCallPage:
            runFirstCall();
            break;
        default:
            break;
        }
    });
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        // A page runs its checks when first reached; the Done page sums them up.
        if (id == ProfilePage && m_profileList->checks().empty()) runProfile();
        if (id == DonePage) updateSummary();
        button(QWizard::CustomButton1)->setVisible(id != DonePage);
    });
    for (CheckListView* list : {m_readinessList, m_profileList, m_firstCallList}) {
        connect(list, &CheckListView::rowRequested, this, &SetupWizard::troubleshootingRequested);
        connect(list, &CheckListView::actionRequested, this, &SetupWizard::applyAction);
    }
    connect(&m_readinessWatcher, &QFutureWatcher<ReadinessReport>::finished, this, [this] {
        m_readinessList->setChecks(readinessChecks(m_readinessWatcher.result()),
                                   "Readiness from " + qs(m_readinessWatcher.result().source));
        m_readinessButton->setEnabled(true);
        emit readinessDone();
    });
    QSettings s;
    const int start = s.value("setup/page", ReadinessPage).toInt();
    if (start == ProfilePage || start == FirstCallPage) setStartId(start);
}

SetupWizard::~SetupWizard() {
    m_readinessWatcher.waitForFinished();
}

QWizardPage* SetupWizard::buildReadinessPage() {
    auto* page = new QWizardPage;
    page->setTitle("1. Are Caracal's services ready?");
    page->setSubTitle(
        "The same check as caracal status --ready --json: api, sts, gateway, audit and coordinator.");
    QSettings s;
    m_probe = new QRadioButton("Probe each service's /ready URL (the profile's URLs, else the local ports)");
    m_fromCommand = new QRadioButton("Run caracal status --ready --json");
    const bool haveCaracal = !QStandardPaths::findExecutable("caracal").isEmpty();
    m_fromCommand->setEnabled(haveCaracal);
    if (!haveCaracal) m_fromCommand->setText(m_fromCommand->text() + " (no caracal program on PATH)");
    m_fromFile = new QRadioButton("Read a saved status output:");
    auto* group = new QButtonGroup(page);
    for (QRadioButton* b : {m_probe, m_fromCommand, m_fromFile})
        group->addButton(b);
    const QString source = s.value("setup/readinessSource", "probe").toString();
    (source == "file"                     ? m_fromFile
     : source == "command" && haveCaracal ? m_fromCommand
                                          : m_probe)
        ->setChecked(true);
    m_statusFile = new QLineEdit(s.value("setup/statusFile").toString());
    m_statusFile->setPlaceholderText("status.json saved from caracal status --ready --json");
    auto* browse = new QPushButton("Browse...");
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, "Saved readiness output", {}, "JSON (*.json);;All files (*)");
        if (!f.isEmpty()) {
            m_statusFile->setText(f);
            m_fromFile->setChecked(true);
        }
    });
    m_readinessButton = new QPushButton("Check readiness");
    connect(m_readinessButton, &QPushButton::clicked, this, &SetupWizard::runReadiness);
    m_readinessList = new CheckListView;
    m_readinessList->setBusy("Choose where the answers come from, then Check readiness.");
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_fromFile);
    fileRow->addWidget(m_statusFile, 1);
    fileRow->addWidget(browse);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_probe);
    layout->addWidget(m_fromCommand);
    layout->addLayout(fileRow);
    layout->addWidget(m_readinessButton, 0, Qt::AlignLeft);
    layout->addWidget(m_readinessList, 1);
    return page;
}

QWizardPage* SetupWizard::buildProfilePage() {
    auto* page = new QWizardPage;
    page->setTitle("2. Is the profile right?");
    page->setSubTitle(
        "Found as Caracal finds it: CARACAL_CONFIG, then the config folder's caracal.toml, then the "
        "environment. Its secret file must be owner-only and not empty.");
    m_profilePath = new QLineEdit(QSettings().value("setup/profilePath").toString());
    m_profilePath->setPlaceholderText("empty: find it as Caracal does");
    m_profilePath->setClearButtonEnabled(true);
    auto* browse = new QPushButton("Browse...");
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, "Caracal profile", {}, "TOML (*.toml);;All files (*)");
        if (!f.isEmpty()) {
            m_profilePath->setText(f);
            runProfile();
        }
    });
    m_foundBy = new QLabel;
    m_foundBy->setWordWrap(true);
    m_profileButton = new QPushButton("Check the profile");
    connect(m_profileButton, &QPushButton::clicked, this, &SetupWizard::runProfile);
    connect(m_profilePath, &QLineEdit::editingFinished, this, &SetupWizard::runProfile);
    m_profileList = new CheckListView;
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel("Profile:"));
    row->addWidget(m_profilePath, 1);
    row->addWidget(browse);
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(row);
    layout->addWidget(m_foundBy);
    layout->addWidget(m_profileButton, 0, Qt::AlignLeft);
    layout->addWidget(m_profileList, 1);
    return page;
}

QWizardPage* SetupWizard::buildFirstCallPage() {
    auto* page = new QWizardPage;
    page->setTitle("3. Why did the first protected call fail?");
    page->setSubTitle(
        "Give its request id, paste the error it returned, or say what failed. The loaded audit "
        "answers what it can; the rest stays a question for you.");
    QSettings s;
    m_requestId = new QLineEdit(s.value("setup/requestId").toString());
    m_requestId->setPlaceholderText("request id from the STS, Gateway, SDK or Console output");
    m_errorBody = new QPlainTextEdit;
    m_errorBody->setPlaceholderText("Optional: the error body, e.g. {\"error\":\"access_denied\", ...}");
    m_errorBody->setMaximumHeight(70);
    m_kind = new QComboBox;
    m_kind->addItem("Work it out from the data", int(FirstCallInput::Kind::Auto));
    m_kind->addItem("STS 403 (no mandate)", int(FirstCallInput::Kind::Sts403));
    m_kind->addItem("Gateway 403 (rejected before forwarding)", int(FirstCallInput::Kind::Gateway403));
    m_kind->addItem("Upstream failure (502, connection refused)", int(FirstCallInput::Kind::Upstream));
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(s.value("setup/kind", 0).toInt())));
    m_firstCallButton = new QPushButton("Walk the checklist");
    connect(m_firstCallButton, &QPushButton::clicked, this, &SetupWizard::runFirstCall);
    connect(m_requestId, &QLineEdit::returnPressed, this, &SetupWizard::runFirstCall);
    m_showRequest = new QPushButton("Show its events in the table");
    m_showRequest->setEnabled(false);
    connect(m_showRequest, &QPushButton::clicked, this,
            [this] { emit showRequestRequested(qs(m_firstCall.requestId)); });
    m_firstCallList = new CheckListView;
    m_firstCallList->setBusy(m_store && m_store->size()
                                 ? eventCountText(qlonglong(m_store->size())) + " loaded."
                                 : QString("No audit is loaded: every request will read as "
                                           "missing. Open the zone's audit export first."));
    auto* form = new QFormLayout;
    form->addRow("Request id", m_requestId);
    form->addRow("Error body", m_errorBody);
    form->addRow("What failed", m_kind);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_firstCallButton);
    buttons->addWidget(m_showRequest);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_firstCallList, 1);
    return page;
}

QWizardPage* SetupWizard::buildDonePage() {
    auto* page = new QWizardPage;
    page->setTitle("Done");
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_summary);
    layout->addWidget(
        intro("Go Back to re-run any page after a fix; the wizard remembers the paths you gave it. "
              "The same readiness and profile checks run without a display: caracal-trace setup-check."));
    layout->addStretch();
    return page;
}

void SetupWizard::runReadiness() {
    if (m_readinessWatcher.isRunning()) return;
    if (m_fromFile->isChecked()) {
        QFile f(m_statusFile->text());
        if (m_statusFile->text().isEmpty() || !f.open(QIODevice::ReadOnly)) {
            m_readinessList->setChecks(
                {{"readiness.source",
                  CheckStatus::Fail,
                  m_statusFile->text().isEmpty() ? "No status file given."
                                                 : m_statusFile->text().toStdString() + ": cannot read (" +
                                                       f.errorString().toStdString() + ")",
                  "Save it with: caracal status --ready --json > status.json",
                  {"readiness-failures/service-not-ready"},
                  {}}});
            emit readinessDone();
            return;
        }
        const QByteArray bytes = f.readAll();
        m_readinessList->setChecks(readinessChecks(parseStatusJson({bytes.constData(), size_t(bytes.size())},
                                                                   m_statusFile->text().toStdString())),
                                   "Readiness from " + m_statusFile->text());
        saveState();
        emit readinessDone();
        return;
    }
    m_readinessButton->setEnabled(false);
    m_readinessList->setBusy(m_probe->isChecked() ? "Probing each service (1.5 s at most)..."
                                                  : "Running caracal status...");
    const bool probe = m_probe->isChecked();
    const auto urls = checkProfile(m_env, explicitProfile()).serviceUrls;
    m_readinessWatcher.setFuture(QtConcurrent::run(
        [probe, urls] { return probe ? probeReadiness(readinessTargets(urls)) : runCaracalStatus(); }));
    saveState();
}

std::string SetupWizard::explicitProfile() const {
    return m_profilePath->text().trimmed().toStdString();
}

void SetupWizard::runProfile() {
    const ProfileReport report = checkProfile(m_env, explicitProfile());
    const ProfileLocation& loc = report.location;
    m_foundBy->setText(loc.foundBy.empty() ? "No profile found."
                       : loc.path.empty()  ? "Caracal would read the environment (no profile file)."
                                           : QString("%1, found through %2.")
                                                .arg(qs(loc.path), loc.foundBy == "--profile"
                                                                       ? QString("the path given above")
                                                                       : qs(loc.foundBy)));
    m_profileList->setChecks(report.checks);
    saveState();
}

void SetupWizard::runFirstCall() {
    FirstCallInput in;
    in.kind = FirstCallInput::Kind(m_kind->currentData().toInt());
    in.requestId = m_requestId->text().trimmed().toStdString();
    in.errorBody = m_errorBody->toPlainText().trimmed().toStdString();
    static const EventStore empty;
    m_firstCall = checkFirstCall(m_store ? *m_store : empty, in);
    m_firstCallList->setChecks(m_firstCall.checks, qs(m_firstCall.summary));
    m_showRequest->setEnabled(!m_firstCall.events.empty());
    saveState();
}

bool SetupWizard::applyAction(const QString& action) {
    const QString kind = action.section(':', 0, 0), path = action.section(':', 1);
    if (kind == "chmod600") {
        if (!m_confirm("Make " + path + " readable and writable by its owner only (chmod 600)?"))
            return false;
        if (!QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            QMessageBox::warning(this, "Fix not applied",
                                 "Could not change the mode of " + path + ". Run: chmod 600 '" + path + "'");
            return false;
        }
        runProfile();
        return true;
    }
    if (kind == "open-folder") return QDesktopServices::openUrl(QUrl::fromLocalFile(path));
    return false;
}

void SetupWizard::updateSummary() {
    auto line = [](const QString& name, const CheckListView* list) {
        if (list->checks().empty()) return QString("<p>%1: not run.</p>").arg(name);
        size_t fail = 0, warn = 0, skip = 0;
        for (const auto& c : list->checks()) {
            fail += c.status == CheckStatus::Fail;
            warn += c.status == CheckStatus::Warn;
            skip += c.status == CheckStatus::Skip;
        }
        const CheckStatus worst = fail ? CheckStatus::Fail : warn ? CheckStatus::Warn : CheckStatus::Pass;
        return QString("<p>%1 %2: %3 failed, %4 warnings, %5 to answer yourself.</p>")
            .arg(statusBadgeHtml(worst), name)
            .arg(fail)
            .arg(warn)
            .arg(skip);
    };
    m_summary->setText(line("Readiness", m_readinessList) + line("Profile", m_profileList) +
                       line("First protected call", m_firstCallList));
}

void SetupWizard::saveState() const {
    QSettings s;
    s.setValue("setup/readinessSource", m_fromFile->isChecked()      ? "file"
                                        : m_fromCommand->isChecked() ? "command"
                                                                     : "probe");
    s.setValue("setup/statusFile", m_statusFile->text());
    s.setValue("setup/profilePath", m_profilePath->text());
    s.setValue("setup/requestId", m_requestId->text()); // error bodies are not kept: they may hold tokens
    s.setValue("setup/kind", m_kind->currentData());
    s.setValue("setup/page", currentId());
}

void SetupWizard::done(int result) {
    saveState();
    QSettings().setValue("setup/page", result == QDialog::Accepted ? int(ReadinessPage) : currentId());
    QWizard::done(result);
}

} // namespace caracal::ui
