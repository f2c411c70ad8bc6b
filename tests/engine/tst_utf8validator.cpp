#include "sse/utf8validator.h"

#include <QTest>

using namespace ts;

class TestUtf8Validator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstBadByte_data();
    void firstBadByte();
    void characterSplitBetweenReads();
};

void TestUtf8Validator::firstBadByte_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("bad");
    QTest::addRow("ascii") << QByteArray("data: {}\n\n") << -1;
    QTest::addRow("two, three and four bytes") << QByteArray("\xC3\xA9 \xE4\xBD\xA0 \xF0\x9F\x98\x80") << -1;
    QTest::addRow("lone continuation") << QByteArray("ab\x80") << 2;
    QTest::addRow("never a lead byte") << QByteArray("a\xFF") << 1;
    QTest::addRow("overlong") << QByteArray("\xC0\xAF") << 0;
    QTest::addRow("overlong three") << QByteArray("\xE0\x80\xAF") << 1;
    QTest::addRow("surrogate") << QByteArray("\xED\xA0\x80") << 1;
    QTest::addRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 1;
    QTest::addRow("cut short") << QByteArray("\xE4\xBD(") << 2;
}

void TestUtf8Validator::firstBadByte()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, bad);
    Utf8Validator validator;
    QCOMPARE(validator.feed(bytes), qsizetype(bad));
}

void TestUtf8Validator::characterSplitBetweenReads()
{
    const QByteArray smile("\xF0\x9F\x98\x80");
    for (int cut = 1; cut < smile.size(); ++cut) {
        Utf8Validator validator;
        QCOMPARE(validator.feed(smile.first(cut)), qsizetype(-1));
        QVERIFY(!validator.atCharacterBoundary());
        QCOMPARE(validator.feed(smile.sliced(cut)), qsizetype(-1));
        QVERIFY(validator.atCharacterBoundary());
    }
    Utf8Validator validator;
    QCOMPARE(validator.feed(smile.first(2)), qsizetype(-1));
    QCOMPARE(validator.feed("a"), qsizetype(0));
}

QTEST_GUILESS_MAIN(TestUtf8Validator)
#include "tst_utf8validator.moc"
