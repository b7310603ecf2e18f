#include "pairs/PairFilterBar.h"

#include "workspace/WorkspaceDocument.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimer>

#include <limits>

namespace sena::ui {

namespace {
// Spin boxes show "any" at their minimum, which then sets no bound.
constexpr double kAnyMargin = -1e6;
}

PairFilterBar::PairFilterBar(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_curation = new QComboBox(this);
    m_curation->addItem(tr("Any state"), -1);
    m_curation->addItem(tr("Pending"), static_cast<int>(store::Curation::Pending));
    m_curation->addItem(tr("Accepted"), static_cast<int>(store::Curation::Accepted));
    m_curation->addItem(tr("Rejected"), static_cast<int>(store::Curation::Rejected));
    m_curation->addItem(tr("Edited"), static_cast<int>(store::Curation::Edited));
    m_curation->setToolTip(tr("Curation state"));

    m_type = new QComboBox(this);
    m_type->addItem(tr("Any type"), -1);
    m_type->addItem(tr("Description (des)"), static_cast<int>(store::PairType::Description));
    m_type->addItem(tr("Question (gen)"), static_cast<int>(store::PairType::General));

    m_passed = new QComboBox(this);
    m_passed->addItem(tr("Passed or filtered"), -1);
    m_passed->addItem(tr("Passed filters"), 1);
    m_passed->addItem(tr("Filtered out"), 0);

    m_round = new QComboBox(this);
    m_round->addItem(tr("All rounds"), 0);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search question and answers…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(180);

    auto makeLength = [this](const QString& tip) {
        auto* box = new QSpinBox(this);
        box->setRange(-1, 100000);
        box->setSpecialValueText(tr("any"));
        box->setValue(-1);
        box->setToolTip(tip);
        return box;
    };
    m_minLength = makeLength(tr("Shortest chosen answer, in characters"));
    m_maxLength = makeLength(tr("Longest chosen answer, in characters"));
    auto makeMargin = [this](const QString& tip) {
        auto* box = new QDoubleSpinBox(this);
        box->setRange(kAnyMargin, 1e6);
        box->setDecimals(2);
        box->setSpecialValueText(tr("any"));
        box->setValue(kAnyMargin);
        box->setToolTip(tip);
        return box;
    };
    m_minMargin = makeMargin(tr("Smallest reference margin (chosen − rejected log-prob)"));
    m_maxMargin = makeMargin(tr("Largest reference margin (chosen − rejected log-prob)"));

    layout->addWidget(m_curation);
    layout->addWidget(m_type);
    layout->addWidget(m_passed);
    layout->addWidget(m_round);
    layout->addWidget(m_search, 1);
    layout->addWidget(new QLabel(tr("Length"), this));
    layout->addWidget(m_minLength);
    layout->addWidget(new QLabel(QStringLiteral("–"), this));
    layout->addWidget(m_maxLength);
    layout->addWidget(new QLabel(tr("Margin"), this));
    layout->addWidget(m_minMargin);
    layout->addWidget(new QLabel(QStringLiteral("–"), this));
    layout->addWidget(m_maxMargin);

    // Typing re-queries after a short pause rather than on every key.
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250);
    connect(m_searchDelay, &QTimer::timeout, this, &PairFilterBar::emitChanged);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    for (QComboBox* box : {m_curation, m_type, m_passed, m_round})
        connect(box, &QComboBox::currentIndexChanged, this, &PairFilterBar::emitChanged);
    for (QSpinBox* box : {m_minLength, m_maxLength})
        connect(box, &QSpinBox::valueChanged, this, &PairFilterBar::emitChanged);
    for (QDoubleSpinBox* box : {m_minMargin, m_maxMargin})
        connect(box, &QDoubleSpinBox::valueChanged, this, &PairFilterBar::emitChanged);
}

void PairFilterBar::setDocument(WorkspaceDocument* document) {
    const QSignalBlocker block(m_round);
    const qint64 current = m_round->currentData().toLongLong();
    m_round->clear();
    m_round->addItem(tr("All rounds"), 0);
    if (!document)
        return;
    try {
        for (const auto& round : document->workspace().rounds().list())
            m_round->addItem(tr("Round %1").arg(round.index), QVariant::fromValue<qint64>(round.id));
    } catch (const std::exception&) {
        // The table reports database errors; an empty round list is enough here.
    }
    const int index = m_round->findData(QVariant::fromValue<qint64>(current));
    m_round->setCurrentIndex(index < 0 ? 0 : index);
}

store::PairFilter PairFilterBar::filter() const {
    store::PairFilter f;
    if (const int c = m_curation->currentData().toInt(); c >= 0)
        f.curation = {static_cast<store::Curation>(c)};
    if (const int t = m_type->currentData().toInt(); t >= 0)
        f.type = static_cast<store::PairType>(t);
    if (const int p = m_passed->currentData().toInt(); p >= 0)
        f.passed = p == 1;
    if (const qint64 r = m_round->currentData().toLongLong(); r > 0)
        f.roundId = r;
    f.search = m_search->text().trimmed().toStdString();
    if (m_minLength->value() >= 0)
        f.minChosenLength = m_minLength->value();
    if (m_maxLength->value() >= 0)
        f.maxChosenLength = m_maxLength->value();
    if (m_minMargin->value() > kAnyMargin)
        f.minMargin = m_minMargin->value();
    if (m_maxMargin->value() > kAnyMargin)
        f.maxMargin = m_maxMargin->value();
    return f;
}

void PairFilterBar::setCurationFilter(int curation) {
    const int index = m_curation->findData(curation);
    if (index >= 0)
        m_curation->setCurrentIndex(index);
}

void PairFilterBar::setSearchText(const QString& text) {
    m_search->setText(text);
    m_searchDelay->stop();
    emitChanged();
}

void PairFilterBar::emitChanged() { Q_EMIT filterChanged(filter()); }

}  // namespace sena::ui
