#pragma once

#include "core/benchmarkconfig.h"

#include <QSslConfiguration>
#include <QString>

#include <optional>

namespace ts {

// Why the CA certificates in path cannot be trusted (unreadable, or no PEM certificate in it),
// as one sentence; empty when they can.
QString caCertificatesError(const QString &path);

// The TLS settings of a run's https requests, made once per transport thread: certificates not
// checked (insecure), or the CA certificates of target.caCertFile trusted besides the system's.
// nullopt when Qt's defaults do.
std::optional<QSslConfiguration> sslConfigurationFor(const TargetConfig &target);

} // namespace ts
