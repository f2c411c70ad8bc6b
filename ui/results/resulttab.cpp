#include "results/resulttab.h"

namespace ts {

ResultTab::ResultTab(QWidget *parent)
    : QWidget(parent)
{
}

void ResultTab::setDocument(const ResultDocument *) {}
void ResultTab::startRun() {}
void ResultTab::addProgress(const RunProgress &) {}
void ResultTab::addRecords(const std::vector<RequestRecord> &) {}
void ResultTab::finishRun() {}

QList<const Exportable *> ResultTab::exportables() const
{
    return {};
}

} // namespace ts
