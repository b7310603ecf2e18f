#include "pairs/WordDiff.h"

#include <QRegularExpression>

#include <vector>

namespace sena::ui {

QStringList diffTokens(const QString& text) {
    static const QRegularExpression token(QStringLiteral("\\s+|[^\\s]+"));
    QStringList out;
    for (auto it = token.globalMatch(text); it.hasNext();)
        out << it.next().captured();
    return out;
}

WordDiffHtml wordDiff(const QString& before, const QString& after, int maxTokens) {
    const QStringList a = diffTokens(before);
    const QStringList b = diffTokens(after);
    WordDiffHtml out;
    const auto del = [](const QString& t) {
        return QStringLiteral("<span style=\"background:#ffebee;color:#b71c1c;text-decoration:line-through\">%1</span>")
            .arg(t.toHtmlEscaped());
    };
    const auto ins = [](const QString& t) {
        return QStringLiteral("<span style=\"background:#e8f5e9;color:#1b5e20;text-decoration:underline\">%1</span>")
            .arg(t.toHtmlEscaped());
    };
    if (a.size() > maxTokens || b.size() > maxTokens) {
        const bool same = before == after;
        out.before = same ? before.toHtmlEscaped() : del(before);
        out.after = same ? after.toHtmlEscaped() : ins(after);
        out.deleted = same ? 0 : 1;
        out.inserted = same ? 0 : 1;
        return out;
    }
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    // lcs[i][j]: common-subsequence length of a[i..] and b[j..].
    std::vector<std::vector<int>> lcs(static_cast<std::size_t>(n + 1), std::vector<int>(static_cast<std::size_t>(m + 1), 0));
    for (int i = n - 1; i >= 0; --i)
        for (int j = m - 1; j >= 0; --j)
            lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    int i = 0, j = 0;
    const auto isSpace = [](const QString& t) { return t.trimmed().isEmpty(); };
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            out.before += a[i].toHtmlEscaped();
            out.after += b[j].toHtmlEscaped();
            ++i;
            ++j;
        } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
            out.after += isSpace(b[j]) ? b[j] : ins(b[j]);
            out.inserted += isSpace(b[j]) ? 0 : 1;
            ++j;
        } else {
            out.before += isSpace(a[i]) ? a[i] : del(a[i]);
            out.deleted += isSpace(a[i]) ? 0 : 1;
            ++i;
        }
    }
    return out;
}

}  // namespace sena::ui
