#pragma once

// Shared by the libFuzzer targets of this folder; each target is one .cpp file defining
// LLVMFuzzerTestOneInput.

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>

namespace ts::fuzz {

inline QByteArrayView bytesOf(const std::uint8_t *data, std::size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

// A broken invariant is a finding like a sanitizer report: abort so libFuzzer keeps the input.
inline void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

// The readers that take a path get each input as one file in a private temporary folder,
// rewritten on every run, so the fuzzer reaches them the way a user's file does.
inline QString writeInput(const QString &fileName, QByteArrayView bytes)
{
    static QTemporaryDir dir;
    const QString path = dir.filePath(fileName);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes.data(), bytes.size()) != bytes.size()) {
        std::fprintf(stderr, "cannot write the fuzz input to %s\n", qPrintable(path));
        std::abort();
    }
    return path;
}

// "name\nrest": targets that read several formats take the format's name from the first line,
// so a seed file says what it is and a crash reproduces from the file alone.
struct Tagged
{
    QByteArrayView tag;
    QByteArrayView body;
};

inline Tagged splitTag(QByteArrayView bytes)
{
    const qsizetype newline = bytes.indexOf('\n');
    if (newline < 0)
        return {bytes, {}};
    return {bytes.first(newline), bytes.sliced(newline + 1)};
}

} // namespace ts::fuzz
