// The result-file reader on a file the user did not write (ours, vLLM's, or --append-result
// JSON Lines), and what opening one in the app then does with it: the summary's RunResult and
// each record's chunks.

#include "fuzzsupport.h"

#include "results/chunks.h"
#include "results/resultfile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString path = ts::fuzz::writeInput(QStringLiteral("result.json"), ts::fuzz::bytesOf(data, size));
    QString error;
    const auto files = ts::readResultFiles(path, &error);
    if (!files) {
        ts::fuzz::check(!error.isEmpty(), "a file refused without a reason");
        return 0;
    }
    ts::fuzz::check(!files->empty(), "a file read as no result at all");
    for (const ts::ResultFile &file : *files) {
        const ts::RunResult run = file.toRunResult();
        (void)run;
        for (const ts::RequestRecord &record : file.records) {
            for (const ts::Chunk &chunk : ts::chunksOf(record))
                (void)chunk;
        }
    }
    return 0;
}
