#pragma once

#include <QObject>
#include <QString>

namespace ts {

// Keeps the secrets of the target form in the system keychain (Secret Service, KWallet, ...)
// through QtKeychain, only when the user asks for it: the API key, the extra headers (any of
// them may carry a token) and a user name and password in the server address. Nothing else in
// the app stores them; the settings file never sees them. Every operation is asynchronous;
// failures come back as a sentence in the user's language.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Secret { ApiKey, ExtraHeaders, UrlCredentials };
    Q_ENUM(Secret)
    static constexpr Secret AllSecrets[] = { Secret::ApiKey, Secret::ExtraHeaders, Secret::UrlCredentials };

    explicit SecretStore(QObject *parent = nullptr);

    void load(Secret secret);
    void save(Secret secret, const QString &value);
    void forget(Secret secret);

Q_SIGNALS:
    // Only for secrets that are stored.
    void loaded(ts::SecretStore::Secret secret, const QString &value);
    void failed(const QString &message);

private:
    static QString nameOf(Secret secret);
};

} // namespace ts
