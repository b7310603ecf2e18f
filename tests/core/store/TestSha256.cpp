// SHA-256 against the FIPS 180-4 / NIST example vectors, and streaming in uneven pieces.
#include "util/Error.h"
#include "util/Sha256.h"

#include <QtTest>

using sena::util::Sha256;

class Sha256Tests : public QObject {
    Q_OBJECT
private slots:
    void fipsVectors_data() {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("digest");
        QTest::newRow("empty") << QByteArray("") << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                  << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        QTest::newRow("896 bits")
            << QByteArray(
                   "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                   "mnopqrstnopqrstu")
            << "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
        QTest::newRow("million a") << QByteArray(1000000, 'a')
                                   << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        // 55 and 56 bytes straddle the boundary where the length no longer fits the last block.
        QTest::newRow("55 bytes") << QByteArray(55, 'a')
                                  << "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318";
        QTest::newRow("56 bytes") << QByteArray(56, 'a')
                                  << "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a";
        QTest::newRow("64 bytes") << QByteArray(64, 'a')
                                  << "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb";
    }
    void fipsVectors() {
        QFETCH(QByteArray, message);
        QFETCH(QString, digest);
        auto data = reinterpret_cast<const std::uint8_t*>(message.constData());
        QCOMPARE(QString::fromStdString(Sha256::hexOf(data, static_cast<std::size_t>(message.size()))), digest);
        // The same message fed in pieces of 1, 7, 63, 64, 65, ... bytes.
        Sha256 streamed;
        std::size_t offset = 0, piece = 1;
        while (offset < static_cast<std::size_t>(message.size())) {
            std::size_t n = std::min(piece, static_cast<std::size_t>(message.size()) - offset);
            streamed.update(data + offset, n);
            offset += n;
            piece = piece * 7 % 131 + 1;
        }
        QCOMPARE(QString::fromStdString(streamed.hexDigest()), digest);
    }
    void digestIsFinal() {
        Sha256 hash;
        hash.update(std::string("abc"));
        std::string first = hash.hexDigest();
        QCOMPARE(hash.hexDigest(), first);  // asking twice gives the same digest
        QVERIFY_THROWS_EXCEPTION(sena::InputError, hash.update(std::string("more")));
    }
};

int runSha256Tests(int argc, char** argv) {
    Sha256Tests t;
    return QTest::qExec(&t, argc, argv);
}

#include "TestSha256.moc"
