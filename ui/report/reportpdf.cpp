#include "report/reportwriter.h"

#include "render/chartpainter.h"
#include "report/reportmarkup.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QCoreApplication>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextObjectInterface>

#include <algorithm>
#include <vector>

namespace ts {

namespace {

const QLatin1String FigureScheme("tokenstorm-figure:");
constexpr int FigureObjectType = QTextFormat::UserObject + 1;
constexpr int FigureIndexProperty = QTextFormat::UserProperty + 1;
constexpr int Resolution = 300;   // layout units only: text and charts stay vector

// Han text goes to WenQuanYi Micro Hei (fonts-wqy-microhei) before Noto Sans CJK. Noto's
// CJK fonts give a Kangxi radical and its ideograph one glyph (⾸ U+2FB8 and 首 U+9996), and
// Qt's PDF engine maps that glyph back to the radical in the ToUnicode table, so copied or
// extracted text reads "⾸个令牌" instead of "首个令牌". Micro Hei keeps them apart.
QStringList cjkFallbacks()
{
    return { QStringLiteral("WenQuanYi Micro Hei"), QStringLiteral("Noto Sans CJK SC") };
}

QFont reportFont(double pointSize)
{
    QFont font;
    font.setFamilies(QStringList { QStringLiteral("DejaVu Sans") } + cjkFallbacks());
    font.setPointSizeF(pointSize);
    return font;
}

// Draws charts and the timeline where the markup put their placeholders, as vector graphics,
// and keeps each on one page (an inline object is never split across pages).
class FigureHandler : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)
public:
    FigureHandler(std::vector<const ReportBlock *> figures, const ResultDocument *document, const ReportOptions &options)
        : m_figures(std::move(figures))
        , m_document(document)
        , m_options(options)
    {
    }

    QSizeF intrinsicSize(QTextDocument *doc, int, const QTextFormat &format) override
    {
        const double width = doc->pageSize().width() - 2.0 * doc->documentMargin() - 4.0;
        const QSize logical = isTimeline(format) ? QSize(720, 300) : ChartPainter::logicalSize();
        return { width, width * logical.height() / logical.width() };
    }

    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *, int, const QTextFormat &format) override
    {
        const ReportBlock *block = figure(format);
        if (!block)
            return;
        painter->save();
        painter->setFont(reportFont(9));
        if (block->kind == ReportBlock::Timeline) {
            if (m_document && m_options.paintTimeline)
                m_options.paintTimeline(painter, rect, *m_document);
        } else {
            ChartPainter::paintScaled(painter, rect, block->chart);
        }
        painter->restore();
    }

private:
    const ReportBlock *figure(const QTextFormat &format) const
    {
        const int index = format.intProperty(FigureIndexProperty);
        return index >= 0 && index < int(m_figures.size()) ? m_figures[index] : nullptr;
    }
    bool isTimeline(const QTextFormat &format) const
    {
        const ReportBlock *block = figure(format);
        return block && block->kind == ReportBlock::Timeline;
    }

    std::vector<const ReportBlock *> m_figures;
    const ResultDocument *m_document;
    const ReportOptions &m_options;
};

// Turns the placeholder images into figure objects, and gives every piece of text the CJK
// fallbacks (the monospaced summary and table headers included).
void prepareDocument(QTextDocument &doc)
{
    struct Figure
    {
        int position;
        int index;
    };
    std::vector<Figure> figures;
    std::vector<std::pair<int, int>> ranges;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QTextCharFormat format = fragment.charFormat();
            if (format.isImageFormat() && format.toImageFormat().name().startsWith(FigureScheme))
                figures.push_back({ fragment.position(), format.toImageFormat().name().mid(FigureScheme.size()).toInt() });
            else
                ranges.emplace_back(fragment.position(), fragment.length());
        }
    }
    QTextCursor cursor(&doc);
    for (const auto &[position, length] : ranges) {
        cursor.setPosition(position);
        cursor.setPosition(position + length, QTextCursor::KeepAnchor);
        QTextCharFormat format = cursor.charFormat();
        QStringList families = format.fontFamilies().toStringList();
        // <pre> asks for Courier, which Debian does not install: the summary's columns only
        // line up in a monospaced font that is there.
        const bool fixedPitch = format.fontFixedPitch()
            || std::any_of(families.cbegin(), families.cend(), [](const QString &f) { return f.contains(QLatin1String("ourier")); });
        if (fixedPitch)
            families = QStringList { QStringLiteral("DejaVu Sans Mono") };
        else if (families.isEmpty())
            families << QStringLiteral("DejaVu Sans");
        QTextCharFormat merge;
        merge.setFontFamilies(families + cjkFallbacks());
        cursor.mergeCharFormat(merge);
    }
    for (const Figure &figure : figures) {
        cursor.setPosition(figure.position);
        cursor.setPosition(figure.position + 1, QTextCursor::KeepAnchor);
        QTextCharFormat object;
        object.setObjectType(FigureObjectType);
        object.setProperty(FigureIndexProperty, figure.index);
        cursor.setCharFormat(object);
    }
}

const char *const TextDocumentCss = R"(
h1 { font-size: 20pt; }
h2 { font-size: 14pt; color: #1f4e79; }
p.subtitle { color: #555555; }
th { background-color: #f1f3f5; }
pre { font-family: "DejaVu Sans Mono"; font-size: 7.5pt; }
)";

} // namespace

QByteArray reportPdf(const ReportSource &source, const ReportOptions &options)
{
    const ReportContent content = reportContent(source, options.thresholds);
    const ResultDocument *document = std::get_if<ResultDocument>(&source);
    std::vector<const ReportBlock *> figures;
    const auto figure = [&](int, const ReportBlock &block) -> QString {
        if (block.kind == ReportBlock::Timeline && (!document || !options.paintTimeline))
            return {};
        figures.push_back(&block);
        return QStringLiteral("<p><img src=\"%1%2\"></p>").arg(FigureScheme).arg(figures.size() - 1);
    };
    const QString body = reportmarkup::body(content, figure, true);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(18, 16, 18, 12), QPageLayout::Millimeter);
    writer.setResolution(Resolution);
    writer.setTitle(content.title + QStringLiteral(" — ") + content.subtitle);
    writer.setCreator(QStringLiteral("Tokenstorm"));

    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer);
    doc.setDefaultFont(reportFont(9.5));
    doc.setDefaultStyleSheet(QLatin1String(TextDocumentCss));
    FigureHandler handler(figures, document, options);
    doc.documentLayout()->registerHandler(FigureObjectType, &handler);
    doc.setHtml(body);
    prepareDocument(doc);

    const QRectF paintRect = writer.pageLayout().paintRectPixels(Resolution);
    const double footer = Resolution * 0.3;
    const QSizeF page(paintRect.width(), paintRect.height() - footer);
    doc.setPageSize(page);
    const int pages = doc.pageCount();

    QPainter painter;
    if (!painter.begin(&writer))
        return {};
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        const QRectF area(0, i * page.height(), page.width(), page.height());
        painter.save();
        painter.translate(0, -area.top());
        painter.setClipRect(area);
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = area;
        context.palette.setColor(QPalette::Text, Qt::black);
        doc.documentLayout()->draw(&painter, context);
        painter.restore();
        painter.setFont(reportFont(8));
        painter.setPen(QColor(0x66, 0x66, 0x66));
        painter.drawText(QRectF(0, page.height(), page.width(), footer), Qt::AlignHCenter | Qt::AlignBottom,
                         QCoreApplication::translate("ts::ReportWriter", "Page %1 of %2").arg(i + 1).arg(pages));
    }
    painter.end();
    return buffer.data();
}

} // namespace ts

#include "reportpdf.moc"
