#pragma once

class QNetworkAccessManager;
class QNetworkReply;
class QThread;

namespace ts {

// Where a network manager does its HTTP work: reading and writing its connections, parsing
// the replies. Qt gives each manager a thread of its own for that, and hands every block of a
// reply over to the thread that made the request: two threads, and a switch between them, for
// each streamed token.
//
// Qt has no public way to choose that thread. The functions here need Qt Network's private
// header, checked at build time, and the very Qt version the engine was built against, checked
// at run time. Where either is missing they do nothing, and the manager makes its own thread.

// Gives a manager, before its first request, a thread of its own like the one it would make
// itself, but with the scalable event dispatcher (eventloop/scalabledispatcher.h), so that a
// wake-up costs the same however many connections the thread reads. The manager stops and
// deletes the thread when it goes.
void giveHttpThread(QNetworkAccessManager *manager);

// Makes a manager, before its first request, do its HTTP work in the calling thread, the one
// its replies live in; true if done. Then:
//  - each of its replies must go through makeBlockingCallsDirect() as soon as Qt has set it up;
//  - one such manager per thread: Qt keeps the open connections per thread, keyed by server and
//    connection group, not by manager;
//  - the manager must be given back with releaseHttpThread() before it is destroyed, or it
//    would stop the thread and wait for it, from inside it.
// The connections stay open, for reuse, until the thread ends.
bool useCallingThreadForHttp(QNetworkAccessManager *manager);
void releaseHttpThread(QNetworkAccessManager *manager);

// For a reply of a manager that works in its caller's thread, once Qt has set the request up
// (Qt 6.4 does so in a call it queues on the reply when the request is posted). Qt calls back
// from its HTTP side to the reply across threads, and waits for the answer, in four cases:
// an authentication challenge from the server or from a proxy, the TLS handshake (encrypted,
// SSL errors, pre-shared key), and rewinding the request body to send it again on a new
// connection. Between two objects in one thread such a call would wait forever; made direct,
// the same slot runs at the same point, without the switch. Returns how many calls were
// changed: none means the request was not set up yet.
int makeBlockingCallsDirect(QNetworkReply *reply);

// The manager's HTTP thread if it has one yet (nullptr otherwise, and without the header).
QThread *httpThreadOf(QNetworkAccessManager *manager);

} // namespace ts
