#pragma once

class QNetworkAccessManager;
class QThread;

namespace ts {

// Gives a network manager, before its first request, the thread it runs its HTTP connections
// in: a QThread like the one it would make itself, but with the scalable event dispatcher
// (eventloop/scalabledispatcher.h). Each manager reads all of its connections in that one
// thread, which wakes for nearly every token of every stream; with Qt's own dispatcher each
// wake-up scans every connection.
//
// Qt has no public way to do this: it needs Qt Network's private header, checked at build
// time, and the very Qt version the engine was built against, checked at run time. Without
// either the manager makes its own thread as usual.
void giveHttpThread(QNetworkAccessManager *manager);

// The manager's HTTP thread if it has one yet (nullptr otherwise, and without the header).
QThread *httpThreadOf(QNetworkAccessManager *manager);

} // namespace ts
