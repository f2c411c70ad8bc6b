#include "forms/fieldfeedback.h"

#include <QFormLayout>

namespace ts {

FieldMessage::FieldMessage(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    // Dark red reads on light and dark themes; the leading symbol carries the meaning in grey.
    setStyleSheet(QStringLiteral("color: #b71c1c;"));
    setVisible(false);
}

void FieldMessage::setMessage(const QString &message)
{
    m_message = message;
    setText(message.isEmpty() ? QString() : QStringLiteral("⚠ ") + message);
    setVisible(!message.isEmpty());
}

void setFieldError(QWidget *field, FieldMessage *label, const QString &message)
{
    const bool invalid = !message.isEmpty();
    if (field->property("invalid").toBool() != invalid) {
        field->setProperty("invalid", invalid);
        const QString selector = QString::fromLatin1(field->metaObject()->className());
        field->setStyleSheet(invalid ? selector + QStringLiteral(" { border: 2px solid #c62828; border-radius: 3px; }")
                                     : QString());
    }
    if (label)
        label->setMessage(message);
}

void addFormRow(QFormLayout *layout, QWidget *field)
{
    auto *label = new QLabel(layout->parentWidget());
    label->setBuddy(field);
    layout->addRow(label, field);
}

void setFormLabel(QFormLayout *layout, QWidget *field, const QString &text)
{
    if (auto *label = qobject_cast<QLabel *>(layout->labelForField(field)))
        label->setText(text);
}

QString fieldTip(const QString &title, const QString &text)
{
    return QStringLiteral("<p><b>") + title.toHtmlEscaped() + QStringLiteral("</b></p><p>")
        + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace ts
