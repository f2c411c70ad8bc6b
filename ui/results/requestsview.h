#pragma once

#include "core/requestrecord.h"

#include "results/resulttab.h"

#include <vector>

class QCheckBox;
class QLabel;
class QTableView;

namespace ts {

class RequestFilterProxy;
class RequestTableModel;

// The per-request table of a result: sortable by any column, and able to show only the
// failed requests with their errors.
class RequestsView : public ResultTab
{
    Q_OBJECT
public:
    explicit RequestsView(QWidget *parent = nullptr);

    QString id() const override { return QStringLiteral("requests"); }
    QString title() const override;
    void setDocument(const ResultDocument *document) override;

    void setRecords(std::vector<RequestRecord> records, bool available = true);

    RequestTableModel *model() const { return m_model; }
    RequestFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QCheckBox *failedOnlyBox() const { return m_failedOnly; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    RequestTableModel *m_model = nullptr;
    RequestFilterProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_failedOnly = nullptr;
    QLabel *m_count = nullptr;
    bool m_available = false;
};

} // namespace ts
