#include "apikeystore.h"

#include <qt6keychain/keychain.h>

namespace ts {

namespace {

const QString service = QStringLiteral("io.github.tokenstorm.Tokenstorm");
const QString entry = QStringLiteral("api-key");

} // namespace

ApiKeyStore::ApiKeyStore(QObject *parent)
    : QObject(parent)
{
}

void ApiKeyStore::load()
{
    auto *job = new QKeychain::ReadPasswordJob(service, this);
    job->setAutoDelete(true);
    job->setKey(entry);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() == QKeychain::NoError)
            Q_EMIT loaded(job->textData());
        else if (job->error() != QKeychain::EntryNotFound)
            Q_EMIT failed(tr("The API key could not be read from the system keychain: %1").arg(job->errorString()));
    });
    job->start();
}

void ApiKeyStore::save(const QString &key)
{
    auto *job = new QKeychain::WritePasswordJob(service, this);
    job->setAutoDelete(true);
    job->setKey(entry);
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() != QKeychain::NoError)
            Q_EMIT failed(tr("The API key could not be saved in the system keychain: %1").arg(job->errorString()));
    });
    job->start();
}

void ApiKeyStore::forget()
{
    auto *job = new QKeychain::DeletePasswordJob(service, this);
    job->setAutoDelete(true);
    job->setKey(entry);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            Q_EMIT failed(tr("The API key could not be removed from the system keychain: %1").arg(job->errorString()));
    });
    job->start();
}

} // namespace ts
