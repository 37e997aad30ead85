#pragma once
// A throw-away PostgreSQL 15 for a test: initdb in a temporary directory, started by pg_ctl on 127.0.0.1 at a
// free port with its unix socket in that directory, stopped (and deleted) in the destructor. When the test
// runs as root (CI does), the server runs as the unprivileged `postgres` user through `runuser`, since
// PostgreSQL refuses to run as root. Queries go through psql (tuples only, unaligned, no ~/.psqlrc).
//
//   PgTestServer pg;
//   QVERIFY2(pg.ok(), qPrintable(pg.error()));
//   QString out;
//   QVERIFY2(pg.run("SELECT '{\"b\":1,\"a\":2}'::jsonb::text", out), qPrintable(out));
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <pwd.h>
#include <unistd.h>

namespace caracal::test {

class PgTestServer {
  public:
    explicit PgTestServer(QString binDir = QStringLiteral("/usr/lib/postgresql/15/bin"))
        : m_bin(std::move(binDir)) {
        if (!QFile::exists(m_bin + "/initdb")) {
            m_error = "PostgreSQL 15 is not installed (" + m_bin +
                      "/initdb missing; packaging/install-deps.sh installs postgresql-15)";
            return;
        }
        if (!m_dir.isValid()) {
            m_error = "no temporary directory";
            return;
        }
        if (::geteuid() == 0) {
            const passwd* pw = ::getpwnam("postgres");
            if (!pw) {
                m_error = "running as root needs the 'postgres' user to run the server";
                return;
            }
            m_runAs = "postgres";
            if (::chown(QFile::encodeName(m_dir.path()).constData(), pw->pw_uid, pw->pw_gid) != 0) {
                m_error = "cannot hand the temporary directory to the postgres user";
                return;
            }
        }
        m_port = freePort();
        const QString data = m_dir.path() + "/data";
        QString out;
        if (!exec(m_bin + "/initdb",
                  {"-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"}, out)) {
            m_error = "initdb failed: " + out;
            return;
        }
        // -w: pg_ctl itself waits until the server accepts connections (no sleeping here).
        const QString options =
            QString("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off -c TimeZone=UTC")
                .arg(m_port)
                .arg(m_dir.path());
        if (!exec(m_bin + "/pg_ctl",
                  {"-D", data, "-l", m_dir.path() + "/server.log", "-w", "-o", options, "start"}, out)) {
            QFile log(m_dir.path() + "/server.log");
            log.open(QIODevice::ReadOnly);
            m_error = "pg_ctl start failed: " + out + "\n" + QString::fromUtf8(log.readAll());
            return;
        }
        m_started = true;
    }

    ~PgTestServer() {
        if (!m_started) return;
        QString out;
        exec(m_bin + "/pg_ctl", {"-D", m_dir.path() + "/data", "-m", "immediate", "-w", "stop"}, out);
    }

    PgTestServer(const PgTestServer&) = delete;
    PgTestServer& operator=(const PgTestServer&) = delete;

    bool ok() const { return m_started; }
    // Stops the server at once (as a crash would: pg_ctl stop -m immediate); the destructor then does
    // nothing.
    bool stopImmediately() {
        QString out;
        if (!m_started) return false;
        m_started = false;
        return exec(m_bin + "/pg_ctl", {"-D", m_dir.path() + "/data", "-m", "immediate", "-w", "stop"}, out);
    }
    // The database psql's run()/runScript() use (default "postgres").
    void setDatabase(const QString& database) { m_database = database; }
    QString dataDirectory() const { return m_dir.path() + "/data"; }
    // Hands a file in the server's directory to the user the server runs as (for TLS keys, pg_hba.conf).
    bool giveToServer(const QString& path) const {
        if (m_runAs.isEmpty()) return true;
        const passwd* pw = ::getpwnam(m_runAs.toLocal8Bit().constData());
        return pw && ::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) == 0;
    }
    QString error() const { return m_error; }
    int port() const { return m_port; }
    QString socketDir() const { return m_dir.path(); }
    QString directory() const { return m_dir.path(); }
    // libpq connection string over the unix socket.
    QString connectionString(const QString& database = "postgres") const {
        return QString("host=%1 port=%2 user=postgres dbname=%3").arg(m_dir.path()).arg(m_port).arg(database);
    }

    // Runs SQL through psql; `out` is its standard output (or the error text). Extra psql arguments (e.g.
    // {"-v", "name=value"}) come before the command.
    bool run(const QString& sql, QString& out, const QStringList& extra = {}) const {
        QByteArray bytes;
        const bool ok = runBytes(sql, bytes, extra);
        out = QString::fromUtf8(bytes);
        return ok;
    }
    // The SQL goes through standard input, so psql variables (:'name') are interpolated.
    bool runBytes(const QString& sql, QByteArray& out, const QStringList& extra = {}) const {
        QByteArray script = sql.toUtf8();
        if (!script.trimmed().endsWith(';')) script += ';';
        return runScript(script + "\n", out, extra);
    }
    // Feeds `input` to psql's standard input (a script, COPY ... FROM STDIN data).
    bool runScript(const QByteArray& input, QByteArray& out, const QStringList& extra = {}) const {
        QProcess p;
        p.start("psql",
                QStringList{"-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", connectionString(m_database)} +
                    extra);
        if (!p.waitForStarted(-1)) {
            out = "psql could not be started";
            return false;
        }
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(-1);
        out = p.readAllStandardOutput();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            out += p.readAllStandardError();
            return false;
        }
        return true;
    }

  private:
    static int freePort() {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    // Runs a server program, as `postgres` when this process is root.
    bool exec(const QString& program, const QStringList& args, QString& out) const {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setWorkingDirectory(m_dir.path());
        if (m_runAs.isEmpty())
            p.start(program, args);
        else
            p.start("runuser", QStringList{"-u", m_runAs, "--", program} + args);
        if (!p.waitForStarted(-1)) {
            out = program + " could not be started";
            return false;
        }
        p.waitForFinished(-1);
        out = QString::fromUtf8(p.readAll());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    QString m_bin;
    QTemporaryDir m_dir;
    QString m_runAs;
    QString m_database = "postgres";
    QString m_error;
    int m_port = 0;
    bool m_started = false;
};

} // namespace caracal::test
