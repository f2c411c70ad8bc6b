#pragma once

#include "connectionreport.h"
#include "core/benchmarkconfig.h"

#include <QGroupBox>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace ts {

class FieldMessage;

// Where the requests go: backend, address, endpoint, model, key and extra headers, with the
// "fetch models" and "test connection" buttons.
class TargetForm : public QGroupBox
{
    Q_OBJECT
public:
    explicit TargetForm(QWidget *parent = nullptr);

    // Reads the fields into target (the API key included, which is never stored).
    void apply(TargetConfig &target, QString &headersText) const;
    void load(const TargetConfig &target, const QString &headersText);

    // The user name and password in the user's server address (not the demo server's), which
    // the settings file never keeps; set only fills them in when the address has none.
    QString urlCredentials() const;
    void setUrlCredentials(const QString &userInfo);

    // While the built-in server is used, its address and model replace the fields.
    void setDemoMode(bool demo, const QString &demoModel);

    // Marks the fields whose values cannot be used; returns the first problem (or empty).
    QString validate();

    void setModels(const QStringList &models);
    void setFetchBusy(bool busy);
    void setTestBusy(bool busy);
    // Shown under the buttons, in the current language.
    void setReport(const ConnectionReport &report);
    QString reportText() const;

    QComboBox *backendBox() const { return m_backend; }
    QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    QLineEdit *endpointEdit() const { return m_endpoint; }
    QComboBox *modelBox() const { return m_model; }
    QLineEdit *apiKeyEdit() const { return m_apiKey; }
    QCheckBox *rememberKeyBox() const { return m_rememberKey; }
    QPlainTextEdit *headersEdit() const { return m_headers; }
    QPushButton *fetchButton() const { return m_fetch; }
    QPushButton *testButton() const { return m_test; }
    QCheckBox *watchMetricsBox() const { return m_watchMetrics; }
    QCheckBox *reasoningTagsBox() const { return m_reasoningTags; }

    // Whether the server's /metrics are charted during a run (a FormState field, not a target one).
    bool watchServerMetrics() const;
    void setWatchServerMetrics(bool on);

Q_SIGNALS:
    void changed();
    void fetchModelsRequested();
    void testConnectionRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onBackendChanged();

    QFormLayout *m_layout = nullptr;
    QComboBox *m_backend = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    FieldMessage *m_baseUrlMessage = nullptr;
    QLineEdit *m_endpoint = nullptr;
    FieldMessage *m_endpointMessage = nullptr;
    QWidget *m_modelRow = nullptr;
    QComboBox *m_model = nullptr;
    QPushButton *m_fetch = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QCheckBox *m_rememberKey = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    FieldMessage *m_headersMessage = nullptr;
    QCheckBox *m_insecure = nullptr;
    QCheckBox *m_watchMetrics = nullptr;
    QCheckBox *m_reasoningTags = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QString m_lastBackend;
    QString m_backendAlias;     // the alias a loaded configuration named its API by
    QString m_userBaseUrl;
    QString m_userModel;
    bool m_demo = false;
    bool m_fetchBusy = false;
    bool m_testBusy = false;
    ConnectionReport m_report;
};

} // namespace ts
