#include "transport/tlsconfig.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>

namespace ts {

namespace {

QList<QSslCertificate> readCertificates(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = QCoreApplication::translate("ts::Transport", "Cannot read the CA certificate file “%1”: %2.")
                         .arg(path, file.errorString());
        }
        return {};
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty() && error) {
        *error = QCoreApplication::translate("ts::Transport",
                                             "The CA certificate file “%1” holds no PEM certificate; give a file of “-----BEGIN CERTIFICATE-----” blocks.")
                     .arg(path);
    }
    return certificates;
}

} // namespace

QString caCertificatesError(const QString &path)
{
    QString error;
    readCertificates(path, &error);
    return error;
}

std::optional<QSslConfiguration> sslConfigurationFor(const TargetConfig &target)
{
    if (!target.insecure && target.caCertFile.isEmpty())
        return std::nullopt;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (target.insecure)
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    else
        ssl.addCaCertificates(readCertificates(target.caCertFile, nullptr));
    return ssl;
}

} // namespace ts
