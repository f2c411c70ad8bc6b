#pragma once

#include <QLabel>
#include <QString>

class QFormLayout;

namespace ts {

// The message under a field that explains why its value cannot be used. Hidden while empty.
class FieldMessage : public QLabel
{
    Q_OBJECT
public:
    explicit FieldMessage(QWidget *parent = nullptr);
    void setMessage(const QString &message);
    QString message() const { return m_message; }

private:
    QString m_message;
};

// Frames field in red while message is non-empty and shows the message in label.
void setFieldError(QWidget *field, FieldMessage *label, const QString &message);

// Adds field to layout with an (empty) label that setFormLabel() fills in.
void addFormRow(QFormLayout *layout, QWidget *field);

// Sets the text of the label that a QFormLayout shows for field.
void setFormLabel(QFormLayout *layout, QWidget *field, const QString &text);

// Tooltip text: a title line in bold and an explanation, wrapped by the tooltip.
QString fieldTip(const QString &title, const QString &text);

} // namespace ts
