#pragma once

#include <QGroupBox>

class QComboBox;
class QLabel;
class QSpinBox;

namespace ts {

// The built-in simulated server: on by default, so a first run needs no server of one's own.
class DemoServerForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit DemoServerForm(QWidget *parent = nullptr);

    bool isOn() const { return isChecked(); }
    QString preset() const;
    void setPreset(const QString &name);
    // The longest prompt plus answer the selected preset accepts.
    int maxModelLen() const;
    QString modelId() const;
    // Tokens of reasoning before each answer (SimServerConfig::reasoningTokens); 0: none.
    int reasoningTokens() const;
    void setReasoningTokens(int tokens);

    QComboBox *presetBox() const { return m_preset; }
    QSpinBox *reasoningTokensBox() const { return m_reasoningTokens; }

    // A short translated name for a preset ("fixed" -> "Fixed latency").
    static QString presetTitle(const QString &name);
    // What a preset imitates, in plain words.
    static QString presetDescription(const QString &name);

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    QComboBox *m_preset = nullptr;
    QLabel *m_presetLabel = nullptr;
    QLabel *m_description = nullptr;
    QSpinBox *m_reasoningTokens = nullptr;
    QLabel *m_reasoningLabel = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace ts
