#pragma once

#include <QObject>
#include <QString>

namespace ts {

// Keeps the API key in the system keychain (Secret Service, KWallet, ...) through QtKeychain,
// only when the user asks for it. Nothing else in the app stores the key. Every operation
// is asynchronous; failures come back as a sentence in the user's language.
class ApiKeyStore : public QObject
{
    Q_OBJECT
public:
    explicit ApiKeyStore(QObject *parent = nullptr);

    void load();
    void save(const QString &key);
    void forget();

Q_SIGNALS:
    void loaded(const QString &key);
    void failed(const QString &message);
};

} // namespace ts
