#include "results/journalreader.h"

#include "metrics/benchmarkmetrics.h"
#include "results/journal.h"
#include "results/resultfile.h"
#include "results/resultjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#endif

namespace ts {

namespace {

using ojson = nlohmann::ordered_json;

// The header, when line is one this version can read.
std::optional<ojson> parseHeader(const QByteArray &line)
{
    try {
        ojson h = ojson::parse(line.begin(), line.end());
        if (!h.is_object() || !h.contains("config") || !h["config"].is_object())
            return std::nullopt;
        const auto version = h.find("journal_version");
        if (version == h.end() || !version->is_number_integer() || version->get<int>() < 1
            || version->get<int>() > kJournalVersion)
            return std::nullopt;
        return h;
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

std::optional<ojson> parseRequest(const QByteArray &line)
{
    try {
        ojson request = ojson::parse(line.begin(), line.end());
        if (request.is_object())
            return request;
    } catch (const nlohmann::json::exception &) {
    }
    return std::nullopt;
}

qint64 pidOf(const ojson &header)
{
    const auto it = header.find("pid");
    return it != header.end() && it->is_number_integer() ? it->get<qint64>() : 0;
}

QByteArray firstLine(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // A header is a few kilobytes; a megabyte bounds what a foreign file can cost.
    return file.readLine(1 << 20);
}

} // namespace

std::optional<RecoveredRun> readJournal(const QString &path, QString *error)
{
    const QString name = QDir::toNativeSeparators(path);
    const auto fail = [&](const QString &message) -> std::optional<RecoveredRun> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QCoreApplication::translate("ts::RunJournal", "Could not open the journal %1: %2.").arg(name, file.errorString()));
    const QByteArray bytes = file.readAll();
    QList<QByteArray> lines = bytes.split('\n');
    // The file ends with a newline unless the writer died mid-line; then the last piece is torn.
    const QByteArray tail = lines.takeLast();

    const std::optional<ojson> header = lines.isEmpty() ? std::nullopt : parseHeader(lines.constFirst());
    if (!header)
        return fail(QCoreApplication::translate("ts::RunJournal", "%1 is not a Tokenstorm journal, or one this version cannot read; it was kept.").arg(name));

    RecoveredRun recovered;
    recovered.path = path;
    recovered.pid = pidOf(*header);
    std::vector<ojson> requests;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        std::optional<ojson> request = parseRequest(lines[i]);
        if (!request)
            return fail(QCoreApplication::translate("ts::RunJournal",
                                                    "Line %1 of the journal %2 is damaged, so it cannot be recovered; it was kept.")
                            .arg(i + 1)
                            .arg(name));
        requests.push_back(std::move(*request));
    }
    // Cut before its newline only, the last request is whole.
    if (std::optional<ojson> last = parseRequest(tail))
        requests.push_back(std::move(*last));
    else
        recovered.tornLastLine = !tail.isEmpty();

    // The records in workload order, as the result file's arrays keep them.
    std::stable_sort(requests.begin(), requests.end(), [](const ojson &a, const ojson &b) {
        return a.value("index", 0) < b.value("index", 0);
    });
    ojson json = (*header)["config"];
    std::vector<std::string> keys;
    for (const ojson &request : requests) {
        for (const auto &[key, value] : request.items()) {
            if (key != "index" && std::find(keys.begin(), keys.end(), key) == keys.end())
                keys.push_back(key);
        }
    }
    for (const std::string &key : keys) {
        ojson array = ojson::array();
        for (const ojson &request : requests)
            array.push_back(request.contains(key) ? request[key] : ojson(nullptr));
        json[key] = std::move(array);
    }
    QString readError;
    std::optional<ResultFile> result = resultFromJson(json, path, &readError);
    if (!result)
        return fail(QCoreApplication::translate("ts::RunJournal", "%1 is not a Tokenstorm journal, or one this version cannot read; it was kept.").arg(name));
    RunResult &run = recovered.run;
    run = result->toRunResult();
    if (!result->hasRequestRecords)
        run.records.clear();
    run.config.multiTurn = json.value("multi_turn", false);
    run.config.target.baseUrl = QUrl(QString::fromStdString(header->value("base_url", std::string())));
    run.config.metrics = result->metricsConfig;
    run.duration = 0.0;
    for (std::size_t i = 0; i < run.records.size(); ++i) {
        RequestRecord &r = run.records[i];
        r.index = requests[i].value("index", int(i));
        r.conversation = requests[i].value("conversation_indices", -1);
        r.turn = requests[i].value("turn_indices", -1);
        run.duration = std::max(run.duration, r.startTime + r.latency);
    }
    run.stopped = int(run.records.size()) < run.requested;
    return recovered;
}

nlohmann::ordered_json recoveredResultJson(const RecoveredRun &recovered)
{
    const RunResult &run = recovered.run;
    const BenchmarkMetrics metrics = computeMetrics(run.records, run.duration, run.config.metrics);
    ojson json = toResultJson(run, metrics, true);
    json["recovered"] = true;
    json["journal"] = recovered.path.toStdString();
    return json;
}

bool isTokenstormProcessRunning(qint64 pid)
{
    if (pid <= 0)
        return false;
#ifdef Q_OS_LINUX
    // A reused pid belongs to another program; only a Tokenstorm one can still be writing.
    // A killed process stays a zombie until its parent reaps it: it writes nothing any more.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        // "pid (comm) state ...": the name is in parentheses and may hold spaces.
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        if (open < 0 || close < open)
            return false;
        const bool zombie = line.mid(close + 2, 1) == "Z";
        return !zombie && line.mid(open + 1, close - open - 1).startsWith("tokenstorm");
    }
    if (QFileInfo::exists(QStringLiteral("/proc/self")))
        return false;
#endif
#ifdef Q_OS_UNIX
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
#else
    return false;
#endif
}

QStringList recoverableJournals(const QString &dir)
{
    QStringList paths;
    const QFileInfoList files = QDir(dir).entryInfoList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Time | QDir::Reversed);
    for (const QFileInfo &info : files) {
        const std::optional<ojson> header = parseHeader(firstLine(info.filePath()).trimmed());
        if (header && !isTokenstormProcessRunning(pidOf(*header)))
            paths << info.filePath();
    }
    return paths;
}

} // namespace ts
