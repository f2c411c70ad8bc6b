#include "sim/simtokenizer.h"

#include <vector>

namespace ts::sim {

int countPromptTokens(std::string_view utf8)
{
    int tokens = 0;
    int alnumRun = 0;
    auto endRun = [&] {
        tokens += (alnumRun + 3) / 4;
        alnumRun = 0;
    };
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (alnum) {
            ++alnumRun;
            continue;
        }
        endRun();
        if (c >= 0x80) {
            if ((c & 0xC0) != 0x80)   // a lead byte starts a character; continuation bytes do not
                ++tokens;
        } else if (c > 0x20 && c < 0x7F) {
            ++tokens;
        }
    }
    endRun();
    return tokens;
}

namespace {

// A mixed Chinese/English vocabulary, with a few tokens (newline, quote, backslash, tab) that
// make clients' JSON unescaping matter.
const char *const kVocabulary[] = {
    " the", " a", " of", " to", " and", " in", " is", " that", " for", " on",
    " with", " as", " it", " be", " this", " are", " by", " we", " can", " from",
    " model", " server", " token", " tokens", " latency", " request", " requests", " batch",
    " cache", " memory", " GPU", " CPU", " throughput", " time", " first", " each", " one",
    " load", " test", " stream", " queue", " prefill", " decode", " step", " fast", " slow",
    " more", " less", " than", " when", " which", " will", " not", " all", " per", " second",
    "ing", "ed", "s", "ly", "er", "tion", " 1", " 2", " 8", " 16", " 32", " 64", " 128", "0",
    ",", ".", ":", ";", "!", "?", "(", ")", "-", " -", "\n", "\n\n", "\"", "'", "\\", "\t",
    "/", "%", "=", "<", ">",
    "的", "是", "在", "了", "和", "我们", "你", "他", "这", "那", "一个", "模型", "推理", "服务",
    "请求", "延迟", "吞吐", "并发", "缓存", "显存", "首", "词元", "生成", "输入", "输出", "时间",
    "测试", "压力", "性能", "批处理", "队列", "调度", "速度", "每秒", "毫秒", "结果", "可以",
    "需要", "如果", "因为", "所以", "但是", "没有", "已经", "非常", "系统", "数据", "用户", "中文",
    "，", "。", "、", "：", "；", "！", "？", "（", "）", "“", "”", "《", "》",
    " 大", "模", "型", "推", "理", " ✓", " 🚀",
};

std::vector<VocabToken> buildVocabulary()
{
    std::vector<VocabToken> v;
    v.reserve(sizeof kVocabulary / sizeof kVocabulary[0]);
    int id = 1000;
    for (const char *text : kVocabulary) {
        VocabToken t;
        t.id = id;
        id += 37;  // ids spread out like a real tokenizer's, deterministic
        t.text = QByteArray(text);
        appendJsonEscaped(t.jsonEscaped, t.text);
        v.push_back(std::move(t));
    }
    return v;
}

const std::vector<VocabToken> &vocabulary()
{
    static const std::vector<VocabToken> v = buildVocabulary();
    return v;
}

} // namespace

int vocabularySize()
{
    return int(vocabulary().size());
}

const VocabToken &vocabToken(int index)
{
    return vocabulary()[std::size_t(index)];
}

void appendJsonEscaped(QByteArray &out, std::string_view utf8)
{
    static const char hex[] = "0123456789abcdef";
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default:
            if (c < 0x20) {
                const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
                out.append(esc, 6);
            } else {
                out.append(ch);
            }
        }
    }
}

} // namespace ts::sim
