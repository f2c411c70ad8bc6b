#include "secretstore.h"

#include <qt6keychain/keychain.h>

namespace ts {

namespace {

const QString service = QStringLiteral("io.github.tokenstorm.Tokenstorm");

QString entryOf(SecretStore::Secret secret)
{
    switch (secret) {
    case SecretStore::Secret::ApiKey:
        return QStringLiteral("api-key");
    case SecretStore::Secret::ExtraHeaders:
        return QStringLiteral("extra-headers");
    case SecretStore::Secret::UrlCredentials:
        return QStringLiteral("url-credentials");
    }
    return {};
}

} // namespace

SecretStore::SecretStore(QObject *parent)
    : QObject(parent)
{
}

QString SecretStore::nameOf(Secret secret)
{
    switch (secret) {
    case Secret::ApiKey:
        return tr("The API key");
    case Secret::ExtraHeaders:
        return tr("The extra headers");
    case Secret::UrlCredentials:
        return tr("The user name and password of the server address");
    }
    return {};
}

void SecretStore::load(Secret secret)
{
    auto *job = new QKeychain::ReadPasswordJob(service, this);
    job->setAutoDelete(true);
    job->setKey(entryOf(secret));
    connect(job, &QKeychain::Job::finished, this, [this, job, secret] {
        if (job->error() == QKeychain::NoError)
            Q_EMIT loaded(secret, job->textData());
        else if (job->error() != QKeychain::EntryNotFound)
            Q_EMIT failed(tr("%1 could not be read from the system keychain: %2").arg(nameOf(secret), job->errorString()));
    });
    job->start();
}

void SecretStore::save(Secret secret, const QString &value)
{
    auto *job = new QKeychain::WritePasswordJob(service, this);
    job->setAutoDelete(true);
    job->setKey(entryOf(secret));
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [this, job, secret] {
        if (job->error() != QKeychain::NoError)
            Q_EMIT failed(tr("%1 could not be saved in the system keychain: %2").arg(nameOf(secret), job->errorString()));
    });
    job->start();
}

void SecretStore::forget(Secret secret)
{
    auto *job = new QKeychain::DeletePasswordJob(service, this);
    job->setAutoDelete(true);
    job->setKey(entryOf(secret));
    connect(job, &QKeychain::Job::finished, this, [this, job, secret] {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            Q_EMIT failed(tr("%1 could not be removed from the system keychain: %2").arg(nameOf(secret), job->errorString()));
    });
    job->start();
}

} // namespace ts
