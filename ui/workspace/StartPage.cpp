#include "workspace/StartPage.h"

#include "Preferences.h"

#include <QDir>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace sena::ui {

StartPage::StartPage(QWidget* parent) : QWidget(parent) {
    auto* title = new QLabel(tr("<h1>SENA Workbench</h1>"
                                "<p>Self-evolution of multimodal models from unannotated images: "
                                "generate preference pairs, curate them, and train round after round.</p>"),
                             this);
    title->setWordWrap(true);
    auto makeButton = [this](const QString& text, const QString& icon) {
        auto* b = new QPushButton(QIcon(icon), text, this);
        b->setIconSize(QSize(24, 24));
        b->setMinimumHeight(40);
        return b;
    };
    auto* newButton = makeButton(tr("New Workspace…"), QStringLiteral(":/icons/new.svg"));
    auto* openButton = makeButton(tr("Open Workspace…"), QStringLiteral(":/icons/open.svg"));
    auto* demoButton = makeButton(tr("Open Demo"), QStringLiteral(":/icons/demo.svg"));
    demoButton->setToolTip(tr("Builds a tiny random model, sample images and one generated round, "
                              "to try the workbench without downloading a model."));
    connect(newButton, &QPushButton::clicked, this, &StartPage::newRequested);
    connect(openButton, &QPushButton::clicked, this, &StartPage::openRequested);
    connect(demoButton, &QPushButton::clicked, this, &StartPage::demoRequested);

    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("recentWorkspaces"));
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { Q_EMIT recentRequested(item->data(Qt::UserRole).toString()); });

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    buttons->addStretch();
    auto* recentBox = new QVBoxLayout;
    recentBox->addWidget(new QLabel(tr("<b>Recent workspaces</b>"), this));
    recentBox->addWidget(m_recent, 1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(buttons);
    columns->addSpacing(24);
    columns->addLayout(recentBox, 1);

    auto* inner = new QWidget(this);
    inner->setMaximumWidth(860);
    auto* innerLayout = new QVBoxLayout(inner);
    innerLayout->addWidget(title);
    innerLayout->addSpacing(12);
    innerLayout->addLayout(columns, 1);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch();
    outer->addWidget(inner, 4);
    outer->addStretch();
    reloadRecent();
}

void StartPage::reloadRecent() {
    m_recent->clear();
    const QStringList recent = RecentWorkspaces::list();
    for (const QString& folder : recent) {
        auto* item = new QListWidgetItem(QIcon(QStringLiteral(":/icons/workspace.svg")),
                                         QStringLiteral("%1\n%2").arg(QDir(folder).dirName(), QDir::toNativeSeparators(folder)),
                                         m_recent);
        item->setData(Qt::UserRole, folder);
    }
    if (recent.isEmpty()) {
        auto* item = new QListWidgetItem(tr("No workspace opened yet."), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

}  // namespace sena::ui
