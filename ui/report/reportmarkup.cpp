#include "report/reportmarkup.h"

namespace ts::reportmarkup {

namespace {

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

// QTextDocument knows table attributes but little CSS; browsers get the CSS of the HTML file.
QString table(const ReportTable &t, bool forTextDocument)
{
    QString html = forTextDocument ? QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\" width=\"100%\">")
                                   : QStringLiteral("<table>");
    if (!t.header.isEmpty()) {
        html += QStringLiteral("<thead><tr>");
        for (const QString &cell : t.header)
            html += QStringLiteral("<th>") + escaped(cell) + QStringLiteral("</th>");
        html += QStringLiteral("</tr></thead>");
    }
    html += QStringLiteral("<tbody>");
    for (const QStringList &row : t.rows) {
        html += QStringLiteral("<tr>");
        for (int i = 0; i < row.size(); ++i) {
            const bool key = t.header.isEmpty() && i == 0;
            const bool number = t.numeric && i > 0;
            QString open = key ? QStringLiteral("<th scope=\"row\"") : QStringLiteral("<td");
            if (number)
                open += forTextDocument ? QStringLiteral(" align=\"right\"") : QStringLiteral(" class=\"num\"");
            if (key && forTextDocument)
                open += QStringLiteral(" align=\"left\"");
            html += open + u'>' + escaped(row.at(i)) + (key ? QStringLiteral("</th>") : QStringLiteral("</td>"));
        }
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</tbody></table>");
}

} // namespace

QString body(const ReportContent &content, const FigureMarkup &figure, bool forTextDocument)
{
    QString html;
    html += QStringLiteral("<h1>") + escaped(content.title) + QStringLiteral("</h1>");
    html += QStringLiteral("<p class=\"subtitle\">") + escaped(content.subtitle) + QStringLiteral("</p>");
    int chartIndex = 0;
    for (const ReportSection &section : content.sections) {
        // A page cannot keep a heading with the chart under it, so a section of charts starts
        // a page of its own rather than leave its title alone at the bottom of the previous one.
        const bool chartsFirst = forTextDocument && !section.blocks.empty() && section.blocks.front().kind == ReportBlock::Chart;
        html += chartsFirst ? QStringLiteral("<section><h2 style=\"page-break-before: always\">") : QStringLiteral("<section><h2>");
        html += escaped(section.title) + QStringLiteral("</h2>");
        for (const ReportBlock &block : section.blocks) {
            switch (block.kind) {
            case ReportBlock::Paragraph:
                html += QStringLiteral("<p>") + escaped(block.text) + QStringLiteral("</p>");
                break;
            case ReportBlock::RichParagraph:
                // Only the hint texts of our own translations come here; they hold <b> at most.
                html += QStringLiteral("<p>") + block.text + QStringLiteral("</p>");
                break;
            case ReportBlock::Warning:
                html += forTextDocument ? QStringLiteral("<p style=\"color:#b71c1c\"><b>⚠ ") + escaped(block.text) + QStringLiteral("</b></p>")
                                        : QStringLiteral("<p class=\"warning\">⚠ ") + escaped(block.text) + QStringLiteral("</p>");
                break;
            case ReportBlock::Preformatted:
                html += QStringLiteral("<pre>") + escaped(block.text) + QStringLiteral("</pre>");
                break;
            case ReportBlock::Table:
                html += table(block.table, forTextDocument);
                break;
            case ReportBlock::Chart:
                html += figure(chartIndex++, block);
                break;
            case ReportBlock::Timeline:
                html += figure(-1, block);
                break;
            }
        }
        html += QStringLiteral("</section>");
    }
    return html;
}

} // namespace ts::reportmarkup
