#pragma once
// A word-level diff of two answers, as HTML: words only in the first are struck through in red,
// words only in the second are underlined in green; whitespace is kept as written.
#include <QString>
#include <QStringList>

namespace sena::ui {

struct WordDiffHtml {
    QString before;  // the first text with its deletions marked
    QString after;   // the second text with its insertions marked
    int deleted = 0;
    int inserted = 0;
};

// Words and the whitespace between them, in order (joining them gives the text back).
QStringList diffTokens(const QString& text);
// Longest-common-subsequence diff; texts over `maxTokens` words are compared as wholes.
WordDiffHtml wordDiff(const QString& before, const QString& after, int maxTokens = 3000);

}  // namespace sena::ui
