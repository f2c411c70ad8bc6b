#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include <memory>

// Runs the CLI binary and starts `tokenstorm-cli serve` as a separate process, so tests cross
// real sockets between real processes, as a user's run does.
namespace clitest {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline Result runCli(const QStringList &arguments, int timeoutMs = 120000,
                     const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(TOKENSTORM_CLI), arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
             QString::fromLocal8Bit(process.readAllStandardOutput()),
             QString::fromLocal8Bit(process.readAllStandardError()) };
}

// A simulated server in its own process; stops it when destroyed.
class ServeProcess
{
public:
    explicit ServeProcess(const QStringList &arguments)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(QStringLiteral(TOKENSTORM_CLI), QStringList { QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0") } + arguments);
        static const QRegularExpression address(QStringLiteral("(http://127\\.0\\.0\\.1:\\d+)"));
        QString seen;
        while (m_url.isEmpty() && m_process.waitForReadyRead(10000)) {
            seen += QString::fromLocal8Bit(m_process.readAllStandardOutput());
            const auto match = address.match(seen);
            if (match.hasMatch())
                m_url = match.captured(1);
        }
    }
    ~ServeProcess()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
    }
    QString url() const { return m_url; }
    qint64 processId() const { return m_process.processId(); }

private:
    QProcess m_process;
    QString m_url;
};

} // namespace clitest
