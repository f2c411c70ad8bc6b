#include "results/requestsview.h"

#include "views/resultdocument.h"

#include "models/requesttablemodel.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace ts {

RequestsView::RequestsView(QWidget *parent)
    : ResultTab(parent)
{
    m_model = new RequestTableModel(this);
    m_proxy = new RequestFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_failedOnly = new QCheckBox(this);
    m_count = new QLabel(this);
    bar->addWidget(m_failedOnly);
    bar->addStretch(1);
    bar->addWidget(m_count);
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RequestTableModel::IndexColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Column widths from the first rows only: measuring 100 000 rows would stall the window.
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    connect(m_failedOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_proxy->setFailedOnly(on);
        // Failed requests have no latencies: make room for their errors instead.
        for (int column : { RequestTableModel::TtftColumn, RequestTableModel::TpotColumn, RequestTableModel::ItlColumn,
                            RequestTableModel::E2elColumn, RequestTableModel::OutputTokensColumn })
            m_table->setColumnHidden(column, on);
        retranslateUi();
    });
    retranslateUi();
}

QString RequestsView::title() const
{
    return tr("Requests");
}

void RequestsView::setDocument(const ResultDocument *document)
{
    setRecords(document ? document->run.records : std::vector<RequestRecord>(), document && document->hasRecords);
}

void RequestsView::setRecords(std::vector<RequestRecord> records, bool available)
{
    m_available = available;
    m_model->setRecords(std::move(records));
    bool multiTurn = false;
    for (int row = 0; row < m_model->rowCount() && !multiTurn; ++row)
        multiTurn = m_model->record(row).conversation >= 0;
    m_table->setColumnHidden(RequestTableModel::ConversationColumn, !multiTurn);
    const bool reasoning = m_model->hasReasoning();
    for (int column : { RequestTableModel::TtfrtColumn, RequestTableModel::TtfatColumn,
                        RequestTableModel::ReasoningTokensColumn })
        m_table->setColumnHidden(column, !reasoning);
    m_table->resizeColumnsToContents();
    retranslateUi();
}

void RequestsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_model->retranslate();
        retranslateUi();
    }
    ResultTab::changeEvent(event);
}

void RequestsView::retranslateUi()
{
    m_failedOnly->setText(tr("Failed only"));
    m_failedOnly->setToolTip(tr("Show only the requests that failed, with the error each one got."));
    int failed = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        failed += m_model->record(row).success ? 0 : 1;
    if (!m_available)
        m_count->setText(tr("This result has no per-request data."));
    else
        m_count->setText(tr("%1 requests, %2 failed").arg(m_model->rowCount()).arg(failed));
}

} // namespace ts
