#include "compare/comparewindow.h"

#include "charts/chartexport.h"
#include "charts/chartview.h"
#include "compare/comparecharts.h"
#include "models/comparisonmodel.h"
#include "results/resultexport.h"
#include "results/resultfile.h"
#include "report/reportwriter.h"
#include "settings.h"

#include <QCheckBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <qcoro/qcorofuture.h>

#include <algorithm>
#include <functional>
#include <utility>

namespace ts {

CompareWindow::CompareWindow(Settings *settings, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_settings(settings)
{
    setAcceptDrops(true);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    m_intro = new QLabel(top);
    m_intro->setWordWrap(true);
    topLayout->addWidget(m_intro);
    auto *filesRow = new QHBoxLayout;
    m_fileList = new QListWidget(top);
    m_fileList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_fileList->setMinimumHeight(m_fileList->fontMetrics().height() * 3);
    filesRow->addWidget(m_fileList, 1);
    auto *buttons = new QVBoxLayout;
    m_addButton = new QPushButton(top);
    m_removeButton = new QPushButton(top);
    m_csvButton = new QPushButton(top);
    m_reportButton = new QPushButton(top);
    m_chartsButton = new QPushButton(top);
    for (QPushButton *b : { m_addButton, m_removeButton, m_csvButton, m_reportButton, m_chartsButton })
        buttons->addWidget(b);
    buttons->addStretch(1);
    filesRow->addLayout(buttons);
    topLayout->addLayout(filesRow, 1);
    m_errorLabel = new QLabel(top);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setVisible(false);
    topLayout->addWidget(m_errorLabel);

    m_tabs = new QTabWidget;
    auto *tablePage = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePage);
    m_onlyDiffering = new QCheckBox(tablePage);
    tableLayout->addWidget(m_onlyDiffering);
    m_model = new ComparisonModel(this);
    m_table = new QTableView(tablePage);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Compact rows: a comparison has many, and more of them fit on screen.
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    tableLayout->addWidget(m_table, 1);
    m_charts = new CompareCharts;
    m_tabs->addTab(tablePage, QString());
    m_tabs->addTab(m_charts, QString());

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({ 120, 700 });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_addButton, &QPushButton::clicked, this, &CompareWindow::askForFiles);
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        const QList<QListWidgetItem *> selected = m_fileList->selectedItems();
        for (QListWidgetItem *item : selected)
            rows << m_fileList->row(item);
        std::sort(rows.begin(), rows.end(), std::greater<>());
        for (int row : std::as_const(rows))
            m_files.erase(m_files.begin() + row);
        if (!rows.isEmpty()) {
            updateFileList();
            rebuild();
        }
    });
    connect(m_fileList, &QListWidget::itemSelectionChanged, this, &CompareWindow::updateActions);
    connect(m_csvButton, &QPushButton::clicked, this, &CompareWindow::askExportCsv);
    connect(m_reportButton, &QPushButton::clicked, this, [this] {
        const QString path = askSavePath(tr("Export the comparison as a report"), QStringLiteral("comparison-report.html"),
                                         reportFileFilter());
        QString error;
        if (!path.isEmpty() && !exportReport(path, &error))
            showError(error);
    });
    connect(m_chartsButton, &QPushButton::clicked, this, &CompareWindow::askSaveCharts);
    connect(m_onlyDiffering, &QCheckBox::toggled, this, &CompareWindow::updateRowVisibility);
    connect(m_charts, &CompareCharts::exportRequested, this, &CompareWindow::exportChart);

    resize(1200, 820);
    retranslateUi();
    updateActions();
}

CompareWindow::~CompareWindow() = default;

QStringList CompareWindow::files() const
{
    QStringList paths;
    for (const Loaded &l : m_files)
        paths << l.path;
    return paths;
}

QList<ChartView *> CompareWindow::chartViews() const
{
    return m_charts->chartViews();
}

QString CompareWindow::errorText() const
{
    return m_error;
}

void CompareWindow::addFiles(const QStringList &paths)
{
    QStringList fresh;
    for (const QString &p : paths) {
        const QString path = QFileInfo(p).absoluteFilePath();
        const bool known = std::any_of(m_files.begin(), m_files.end(), [&](const Loaded &l) { return l.path == path; });
        if (!known && !fresh.contains(path))
            fresh << path;
    }
    if (!fresh.isEmpty())
        readFiles(fresh);
}

void CompareWindow::removeFile(int index)
{
    if (index < 0 || std::size_t(index) >= m_files.size())
        return;
    m_files.erase(m_files.begin() + index);
    updateFileList();
    rebuild();
}

QCoro::Task<> CompareWindow::readFiles(QStringList paths)
{
    QPointer<CompareWindow> self(this);
    struct Read
    {
        QString path;
        std::shared_ptr<const ResultFile> file;
        QString error;
    };
    ++m_pendingReads;
    m_error.clear();
    m_errorLabel->setVisible(false);
    updateActions();
    // A named future: GCC 12 mishandles temporaries inside a co_await expression.
    QFuture<std::vector<Read>> future = QtConcurrent::run([paths] {
        std::vector<Read> out;
        for (const QString &path : paths) {
            Read r;
            r.path = path;
            if (std::optional<ResultFile> f = readResultFile(path, &r.error))
                r.file = std::make_shared<const ResultFile>(std::move(*f));
            out.push_back(std::move(r));
        }
        return out;
    });
    std::vector<Read> read = co_await future;
    if (!self)
        co_return;
    --m_pendingReads;
    QStringList errors;
    for (Read &r : read) {
        if (!r.file) {
            errors << r.error;
            continue;
        }
        const bool known = std::any_of(m_files.begin(), m_files.end(), [&](const Loaded &l) { return l.path == r.path; });
        if (!known)
            m_files.push_back({ r.path, std::move(r.file) });
    }
    updateFileList();
    if (!errors.isEmpty())
        showError(errors.join(u'\n'));
    co_await rebuild();
}

QCoro::Task<> CompareWindow::rebuild()
{
    QPointer<CompareWindow> self(this);
    const int generation = ++m_generation;
    struct Built
    {
        std::shared_ptr<const Comparison> comparison;
        std::vector<CompareCharts::FileCurves> curves;
    };
    std::vector<std::shared_ptr<const ResultFile>> files;
    for (const Loaded &l : m_files)
        files.push_back(l.file);
    // Labels are translated while building, so a language switch builds again.
    QFuture<Built> future = QtConcurrent::run([files] {
        Built b;
        if (files.empty())
            return b;
        std::vector<ResultFile> copies;
        for (const auto &f : files)
            copies.push_back(*f);
        auto comparison = std::make_shared<Comparison>(compareResults(std::move(copies)));
        for (std::size_t i = 0; i < comparison->files.size(); ++i)
            b.curves.push_back(CompareCharts::curvesFor(comparison->files[i], comparison->names.value(qsizetype(i))));
        b.comparison = std::move(comparison);
        return b;
    });
    Built built = co_await future;
    if (!self || generation != m_generation)
        co_return;
    m_comparison = built.comparison;
    m_model->setComparison(m_comparison);
    m_table->clearSpans();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->index(row, 0).data(ComparisonModel::SectionTitleRole).toBool() && m_model->columnCount() > 1)
            m_table->setSpan(row, 0, 1, m_model->columnCount());
    }
    updateRowVisibility();
    m_charts->setCurves(std::move(built.curves));
    retranslateUi();
    updateActions();
    Q_EMIT comparisonChanged();
}

void CompareWindow::updateRowVisibility()
{
    const bool only = m_onlyDiffering->isChecked();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const bool keep = !only || index.data(ComparisonModel::SectionTitleRole).toBool()
                          || index.data(ComparisonModel::DiffersRole).toBool();
        m_table->setRowHidden(row, !keep);
    }
}

void CompareWindow::updateFileList()
{
    m_fileList->clear();
    for (std::size_t i = 0; i < m_files.size(); ++i) {
        const Loaded &l = m_files[i];
        const QFileInfo info(l.path);
        QString text = QStringLiteral("[%1] %2").arg(QString::number(i + 1), info.fileName());
        if (!l.file->setup.modelId.isEmpty())
            text += QStringLiteral("  ·  ") + l.file->setup.modelId;
        auto *item = new QListWidgetItem(text, m_fileList);
        item->setToolTip(QDir::toNativeSeparators(l.path));
    }
    updateActions();
}

void CompareWindow::updateActions()
{
    m_removeButton->setEnabled(!m_fileList->selectedItems().isEmpty());
    m_csvButton->setEnabled(m_comparison != nullptr);
    m_reportButton->setEnabled(m_comparison != nullptr);
    m_chartsButton->setEnabled(m_comparison != nullptr);
}

void CompareWindow::showError(const QString &message)
{
    m_error = message;
    m_errorLabel->setText(message);
    m_errorLabel->setVisible(!message.isEmpty());
    Q_EMIT errorShown(message);
}

bool CompareWindow::exportCsv(const QString &path, QString *error)
{
    if (!m_comparison) {
        if (error)
            *error = tr("There is nothing to export yet: add result files first.");
        return false;
    }
    return writeComparisonCsv(path, *m_comparison, error);
}

bool CompareWindow::exportReport(const QString &path, QString *error)
{
    if (!m_comparison) {
        if (error)
            *error = tr("There is nothing to export yet: add result files first.");
        return false;
    }
    return writeReport(ReportSource(*m_comparison), path, error);
}

void CompareWindow::askForFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Add result files to the comparison"),
        m_settings->stringValue(Settings::Key::LastDirectory), tr("Result files (*.json *.jsonl);;All files (*)"));
    if (paths.isEmpty())
        return;
    m_settings->set(Settings::Key::LastDirectory, QFileInfo(paths.constFirst()).absolutePath());
    addFiles(paths);
}

QString CompareWindow::askSavePath(const QString &title, const QString &name, const QString &filter)
{
    const QDir dir(m_settings->stringValue(Settings::Key::LastDirectory));
    const QString path = QFileDialog::getSaveFileName(this, title, dir.filePath(name), filter);
    if (!path.isEmpty())
        m_settings->set(Settings::Key::LastDirectory, QFileInfo(path).absolutePath());
    return path;
}

void CompareWindow::askExportCsv()
{
    const QString path = askSavePath(tr("Save the comparison as CSV"), QStringLiteral("comparison.csv"), tr("CSV files (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        showError(error);
}

void CompareWindow::askSaveCharts()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Save every chart as PNG and SVG into"),
                                                          m_settings->stringValue(Settings::Key::LastDirectory));
    if (dir.isEmpty())
        return;
    m_settings->set(Settings::Key::LastDirectory, dir);
    QString error;
    int written = 0;
    if (!saveCharts(exportablesOf(chartViews()), dir, &written, &error))
        showError(error);
}

void CompareWindow::exportChart(const Exportable *view, const QString &format)
{
    const QString filter = format == QLatin1String("svg") ? tr("SVG images (*.svg)") : tr("PNG images (*.png)");
    const QString path = askSavePath(tr("Save the chart"), view->exportName() + QLatin1Char('.') + format, filter);
    QString error;
    if (!path.isEmpty() && !view->saveImage(path, reportChartSize, &error))
        showError(error);
}

void CompareWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), [](const QUrl &u) { return u.isLocalFile(); }))
        event->acceptProposedAction();
}

void CompareWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl &url : urls) {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        addFiles(paths);
    }
}

void CompareWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        if (!m_files.empty())
            rebuild();
    }
    QWidget::changeEvent(event);
}

void CompareWindow::retranslateUi()
{
    setWindowTitle(tr("Compare results – Tokenstorm"));
    m_intro->setText(tr("Add two or more result files (Tokenstorm's or vLLM's), or drop them here. The first file is the baseline: every other file shows its difference to it in percent."));
    m_addButton->setText(tr("Add files…"));
    m_removeButton->setText(tr("Remove"));
    m_removeButton->setToolTip(tr("Remove the selected files from the comparison."));
    m_csvButton->setText(tr("Export CSV…"));
    m_reportButton->setText(tr("Export report…"));
    m_reportButton->setToolTip(tr("One HTML or PDF file with the table and the charts, for a report or a slide."));
    m_csvButton->setToolTip(tr("One row per setup key and metric, one column per file, then the differences in percent."));
    m_chartsButton->setText(tr("Save charts…"));
    m_chartsButton->setToolTip(tr("Save each distribution chart as PNG and SVG into a folder."));
    m_onlyDiffering->setText(tr("Show only rows that differ"));
    m_tabs->setTabText(0, tr("Setup and metrics"));
    m_tabs->setTabText(1, tr("Distributions"));
    if (m_files.size() == 1)
        m_intro->setText(m_intro->text() + QLatin1Char(' ') + tr("Add at least one more file to see differences."));
}

} // namespace ts
