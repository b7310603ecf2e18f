<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutText</name>
    <message>
        <source>&lt;h3&gt;SENA Workbench %1&lt;/h3&gt;&lt;p&gt;Self-evolution of multimodal models from unannotated images: the model asks and checks its own questions, answers them on clean and corrupted images, and learns from the preference pairs you curate.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2 (built with %3)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;OpenCV&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;SQLite&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;h3&gt;SENA 工作台 %1&lt;/h3&gt;&lt;p&gt;基于无标注图像的多模态模型自我进化：模型自我提问并自检问题，分别在原始图像和损坏图像上作答，再从你审阅的偏好对中学习。&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2（构建版本 %3）&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;OpenCV&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;SQLite&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
</context>
<context>
    <name>EditPairCommand</name>
    <message>
        <source>Edit question</source>
        <translation>编辑问题</translation>
    </message>
    <message>
        <source>Edit chosen answer</source>
        <translation>编辑优选回答</translation>
    </message>
    <message>
        <source>Edit rejected answer</source>
        <translation>编辑劣选回答</translation>
    </message>
</context>
<context>
    <name>ModelFolderCheck</name>
    <message>
        <source>✗ The folder does not exist.</source>
        <translation>✗ 文件夹不存在。</translation>
    </message>
    <message>
        <source>✓ config.json: %1</source>
        <translation>✓ config.json：%1</translation>
    </message>
    <message>
        <source>✓ %1 parameters (vision %2, projector %3, language %4)</source>
        <translation>✓ %1 个参数（视觉 %2，投影层 %3，语言 %4）</translation>
    </message>
    <message>
        <source>  Weights in memory: %1 in float32, %2 in bfloat16/float16</source>
        <translation>  权重内存占用：float32 为 %1，bfloat16/float16 为 %2</translation>
    </message>
    <message>
        <source>✗ config.json: %1</source>
        <translation>✗ config.json：%1</translation>
    </message>
    <message>
        <source>✓ Weights found (safetensors)</source>
        <translation>✓ 已找到权重（safetensors）</translation>
    </message>
    <message>
        <source>✗ No model.safetensors or model.safetensors.index.json</source>
        <translation>✗ 缺少 model.safetensors 或 model.safetensors.index.json</translation>
    </message>
    <message>
        <source>✓ Tokenizer found</source>
        <translation>✓ 已找到分词器</translation>
    </message>
    <message>
        <source>✗ No tokenizer.json or tokenizer.model</source>
        <translation>✗ 缺少 tokenizer.json 或 tokenizer.model</translation>
    </message>
    <message>
        <source>✓ Image preprocessor found</source>
        <translation>✓ 已找到图像预处理器</translation>
    </message>
    <message>
        <source>✗ No preprocessor_config.json</source>
        <translation>✗ 缺少 preprocessor_config.json</translation>
    </message>
</context>
<context>
    <name>PairCommand</name>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
</context>
<context>
    <name>PreviewPreprocessor</name>
    <message>
        <source>model preprocessor (%1)</source>
        <translation>模型预处理器（%1）</translation>
    </message>
    <message>
        <source>default CLIP 336 px preprocessor</source>
        <translation>默认 CLIP 336 像素预处理器</translation>
    </message>
</context>
<context>
    <name>SetCurationCommand</name>
    <message numerus="yes">
        <source>Accept %n pair(s)</source>
        <translation>
            <numerusform>接受 %n 个偏好对</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reject %n pair(s)</source>
        <translation>
            <numerusform>拒绝 %n 个偏好对</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reset %n pair(s)</source>
        <translation>
            <numerusform>重置 %n 个偏好对</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SetNoteCommand</name>
    <message>
        <source>Note on pair</source>
        <translation>为偏好对添加备注</translation>
    </message>
</context>
<context>
    <name>SetTagsCommand</name>
    <message>
        <source>Tag pair</source>
        <translation>为偏好对添加标签</translation>
    </message>
</context>
<context>
    <name>SwapPairCommand</name>
    <message numerus="yes">
        <source>Swap %n pair(s)</source>
        <translation>
            <numerusform>交换 %n 个偏好对</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Self-evolution workbench for multimodal models</source>
        <translation>多模态模型自我进化工作台</translation>
    </message>
    <message>
        <source>Workspace folder to open</source>
        <translation>要打开的工作区文件夹</translation>
    </message>
    <message>
        <source>Render every view into PNG files in &lt;dir&gt; and quit</source>
        <translation>将每个视图渲染为 &lt;dir&gt; 中的 PNG 文件后退出</translation>
    </message>
    <message>
        <source>Open (building if needed) the demo workspace</source>
        <translation>打开演示工作区（如有需要先构建）</translation>
    </message>
</context>
<context>
    <name>sena::ui::BackgroundTask</name>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 已取消</translation>
    </message>
</context>
<context>
    <name>sena::ui::CorruptionLab</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Save Preset…</source>
        <translation>保存预设…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>&lt;b&gt;Chain&lt;/b&gt; (image steps run before tensor steps)</source>
        <translation>&lt;b&gt;损坏链&lt;/b&gt;（图像步骤先于张量步骤执行）</translation>
    </message>
    <message>
        <source>Spec:</source>
        <translation>规格：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Original&lt;/b&gt;</source>
        <translation>&lt;b&gt;原图&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Corrupted, as the model sees it&lt;/b&gt;</source>
        <translation>&lt;b&gt;损坏后（模型所见）&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Preprocessing: %1</source>
        <translation>预处理：%1</translation>
    </message>
    <message>
        <source>√ᾱ = %1 (signal kept) · √(1−ᾱ) = %2 (noise)</source>
        <translation>√ᾱ = %1（保留信号）· √(1−ᾱ) = %2（噪声）</translation>
    </message>
    <message>
        <source>(choose a preset)</source>
        <translation>（选择预设）</translation>
    </message>
    <message>
        <source>SENA: diffusion t=600</source>
        <translation>SENA：扩散噪声 t=600</translation>
    </message>
    <message>
        <source>SeVa: diffusion t=800</source>
        <translation>SeVa：扩散噪声 t=800</translation>
    </message>
    <message>
        <source>STIC: downscale to 20 px</source>
        <translation>STIC：缩小至 20 像素</translation>
    </message>
    <message>
        <source>Save Preset</source>
        <translation>保存预设</translation>
    </message>
    <message>
        <source>Preset name:</source>
        <translation>预设名称：</translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation>删除预设</translation>
    </message>
</context>
<context>
    <name>sena::ui::GenerateDialog</name>
    <message>
        <source>Generate Round</source>
        <translation>生成轮次</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Model Folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Prompt Set</source>
        <translation>提示词集</translation>
    </message>
    <message>
        <source>Prompt sets (*.json)</source>
        <translation>提示词集 (*.json)</translation>
    </message>
    <message>
        <source>built-in prompt set</source>
        <translation>内置提示词集</translation>
    </message>
    <message>
        <source>Paper: the check sees the image, may regenerate</source>
        <translation>论文方式：自检可看到图像，可重新生成</translation>
    </message>
    <message>
        <source>Authors&apos; code: text-only check, one pass</source>
        <translation>作者代码方式：仅文本自检，单次完成</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation>CUDA GPU %1</translation>
    </message>
    <message>
        <source>all new images</source>
        <translation>全部新图像</translation>
    </message>
    <message>
        <source>Model folder:</source>
        <translation>模型文件夹：</translation>
    </message>
    <message>
        <source>Prompt set file:</source>
        <translation>提示词集文件：</translation>
    </message>
    <message>
        <source>Self-check:</source>
        <translation>自检：</translation>
    </message>
    <message>
        <source>Check attempts:</source>
        <translation>自检尝试次数：</translation>
    </message>
    <message>
        <source>Corruption (rejected side):</source>
        <translation>损坏方式（劣选侧）：</translation>
    </message>
    <message>
        <source>Pair filters:</source>
        <translation>偏好对过滤器：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Data type:</source>
        <translation>数据类型：</translation>
    </message>
    <message>
        <source>Images per batch:</source>
        <translation>每批图像数：</translation>
    </message>
    <message>
        <source>Rows per model call:</source>
        <translation>每次模型调用行数：</translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation>最大新 token 数：</translation>
    </message>
    <message>
        <source>Images in this round:</source>
        <translation>本轮图像数：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Choose the model folder that generates the round.</source>
        <translation>请选择用于生成本轮的模型文件夹。</translation>
    </message>
</context>
<context>
    <name>sena::ui::ImageBadgeDelegate</name>
    <message>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>cannot decode</source>
        <translation>无法解码</translation>
    </message>
</context>
<context>
    <name>sena::ui::ImageBrowser</name>
    <message>
        <source>All images</source>
        <translation>全部图像</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Import errors</source>
        <translation>导入错误</translation>
    </message>
    <message>
        <source>Filter by file name…</source>
        <translation>按文件名筛选…</translation>
    </message>
    <message>
        <source>All rounds</source>
        <translation>全部轮次</translation>
    </message>
    <message>
        <source>Round %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sena::ui::ImageListModel</name>
    <message>
        <source>
%1 × %2 %3, %4 KiB</source>
        <translation>
%1 × %2 %3，%4 KiB</translation>
    </message>
    <message>
        <source>
Import failed: %1</source>
        <translation>
导入失败：%1</translation>
    </message>
    <message>
        <source>
%1 questions, %2 pairs (%3 accepted, %4 rejected)</source>
        <translation>
%1 个问题，%2 个偏好对（%3 个已接受，%4 个已拒绝）</translation>
    </message>
</context>
<context>
    <name>sena::ui::MainWindow</name>
    <message>
        <source>SENA Workbench</source>
        <translation>SENA 工作台</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>偏好对</translation>
    </message>
    <message>
        <source>Corruption Lab</source>
        <translation>损坏实验室</translation>
    </message>
    <message>
        <source>Pair Inspector</source>
        <translation>偏好对检查器</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New Workspace…</source>
        <translation>新建工作区(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open Workspace…</source>
        <translation>打开工作区(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation>打开演示(&amp;D)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Import Images…</source>
        <translation>导入图像(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Close Workspace</source>
        <translation>关闭工作区(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Pairs</source>
        <translation>偏好对(&amp;P)</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Swap Chosen and Rejected</source>
        <translation>交换优选与劣选</translation>
    </message>
    <message>
        <source>Edit Text</source>
        <translation>编辑文本</translation>
    </message>
    <message>
        <source>Tags…</source>
        <translation>标签…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Round</source>
        <translation>轮次(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation>生成(&amp;G)…</translation>
    </message>
    <message>
        <source>&amp;Cancel Generation</source>
        <translation>取消生成(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About SENA Workbench</source>
        <translation>关于 SENA 工作台(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>%1 — SENA Workbench</source>
        <translation>%1 — SENA 工作台</translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>New Workspace</source>
        <translation>新建工作区</translation>
    </message>
    <message>
        <source>Cannot create %1:
%2</source>
        <translation>无法创建 %1：
%2</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>已创建 %1</translation>
    </message>
    <message>
        <source>Import Images</source>
        <translation>导入图像</translation>
    </message>
    <message>
        <source>Wait for “%1” to finish first.</source>
        <translation>请先等待“%1”完成。</translation>
    </message>
    <message>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <source>Importing %1</source>
        <translation>正在导入 %1</translation>
    </message>
    <message>
        <source>Imported %1 new images (%2 found, %3 duplicates, %4 failed, %5 unchanged)</source>
        <translation>已导入 %1 张新图像（找到 %2 张，重复 %3 张，失败 %4 张，未变更 %5 张）</translation>
    </message>
    <message>
        <source>Building the demo workspace</source>
        <translation>正在构建演示工作区</translation>
    </message>
    <message>
        <source>Demo ready in %1</source>
        <translation>演示已就绪：%1</translation>
    </message>
    <message>
        <source>Generate Round</source>
        <translation>生成轮次</translation>
    </message>
    <message>
        <source>About SENA Workbench</source>
        <translation>关于 SENA 工作台</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>A round is being generated. Cancel it and quit? Finished images are kept.</source>
        <translation>正在生成轮次。要取消生成并退出吗？已完成的图像会保留。</translation>
    </message>
</context>
<context>
    <name>sena::ui::NewWorkspaceDialog</name>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>New Workspace</source>
        <translation>新建工作区</translation>
    </message>
    <message>
        <source>Choose the Workspace Folder</source>
        <translation>选择工作区文件夹</translation>
    </message>
    <message>
        <source>Choose the Image Folder</source>
        <translation>选择图像文件夹</translation>
    </message>
    <message>
        <source>Choose the Base Model Folder</source>
        <translation>选择基础模型文件夹</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Images can also be imported later.</source>
        <translation>图像也可以稍后导入。</translation>
    </message>
    <message>
        <source>✗ The image folder does not exist.</source>
        <translation>✗ 图像文件夹不存在。</translation>
    </message>
    <message>
        <source>✓ Images will be imported after the workspace is created.</source>
        <translation>✓ 工作区创建后将导入图像。</translation>
    </message>
    <message>
        <source>✗ That folder already holds a workspace; open it instead.</source>
        <translation>✗ 该文件夹已包含工作区，请直接打开。</translation>
    </message>
    <message>
        <source>Workspace folder:</source>
        <translation>工作区文件夹：</translation>
    </message>
    <message>
        <source>Image folder:</source>
        <translation>图像文件夹：</translation>
    </message>
    <message>
        <source>Base model folder:</source>
        <translation>基础模型文件夹：</translation>
    </message>
</context>
<context>
    <name>sena::ui::PairFilterBar</name>
    <message>
        <source>Any state</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>Curation state</source>
        <translation>审阅状态</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>任意类型</translation>
    </message>
    <message>
        <source>Description (des)</source>
        <translation>描述 (des)</translation>
    </message>
    <message>
        <source>Question (gen)</source>
        <translation>问题 (gen)</translation>
    </message>
    <message>
        <source>Passed or filtered</source>
        <translation>通过或被过滤</translation>
    </message>
    <message>
        <source>Passed filters</source>
        <translation>通过过滤</translation>
    </message>
    <message>
        <source>Filtered out</source>
        <translation>被过滤</translation>
    </message>
    <message>
        <source>All rounds</source>
        <translation>全部轮次</translation>
    </message>
    <message>
        <source>Search question and answers…</source>
        <translation>搜索问题和回答…</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Shortest chosen answer, in characters</source>
        <translation>优选回答的最短长度（字符）</translation>
    </message>
    <message>
        <source>Longest chosen answer, in characters</source>
        <translation>优选回答的最长长度（字符）</translation>
    </message>
    <message>
        <source>Smallest reference margin (chosen − rejected log-prob)</source>
        <translation>最小参考差值（优选 − 劣选对数概率）</translation>
    </message>
    <message>
        <source>Largest reference margin (chosen − rejected log-prob)</source>
        <translation>最大参考差值（优选 − 劣选对数概率）</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>差值</translation>
    </message>
    <message>
        <source>Round %1</source>
        <translation>第 %1 轮</translation>
    </message>
</context>
<context>
    <name>sena::ui::PairInspector</name>
    <message>
        <source>Original</source>
        <translation>原图</translation>
    </message>
    <message>
        <source>As the model saw it (rejected side)</source>
        <translation>模型所见（劣选侧）</translation>
    </message>
    <message>
        <source>&lt;i&gt;Select a pair to inspect it.&lt;/i&gt;</source>
        <translation>&lt;i&gt;选择一个偏好对进行检查。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pair %1&lt;/b&gt; · round %2 · %3 · %4</source>
        <translation>&lt;b&gt;偏好对 %1&lt;/b&gt; · 第 %2 轮 · %3 · %4</translation>
    </message>
    <message>
        <source>Self-questioning</source>
        <translation>自我提问</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;First question:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;初始问题：&lt;/b&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Self-check reply:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;自检回复：&lt;/b&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Final question:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;最终问题：&lt;/b&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Attempts: %1 · mode: %2 · %3&lt;/p&gt;</source>
        <translation>&lt;p&gt;尝试次数：%1 · 模式：%2 · %3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>paper (check sees the image)</source>
        <translation>论文方式（自检可看到图像）</translation>
    </message>
    <message>
        <source>code (text-only check)</source>
        <translation>代码方式（仅文本自检）</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>已保留</translation>
    </message>
    <message>
        <source>dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <source>&lt;p style=&quot;color:#c62828&quot;&gt;Question filter &lt;b&gt;%1&lt;/b&gt;: %2&lt;/p&gt;</source>
        <translation>&lt;p style=&quot;color:#c62828&quot;&gt;问题过滤器 &lt;b&gt;%1&lt;/b&gt;：%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>图像描述</translation>
    </message>
    <message>
        <source>Answer on the clean image</source>
        <translation>原始图像上的回答</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation>优选</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>劣选</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;small&gt;%1 word(s) only in chosen, %2 only in rejected.&lt;/small&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;small&gt;仅在优选中出现 %1 个词，仅在劣选中出现 %2 个词。&lt;/small&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Edited by the curator; the generated texts are kept.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;已由审阅者编辑；原生成文本仍保留。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>过滤器</translation>
    </message>
    <message>
        <source>&lt;p&gt;Passed every filter.&lt;/p&gt;</source>
        <translation>&lt;p&gt;已通过全部过滤器。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p style=&quot;color:#c62828&quot;&gt;&lt;b&gt;%1&lt;/b&gt;: %2&lt;/p&gt;</source>
        <translation>&lt;p style=&quot;color:#c62828&quot;&gt;&lt;b&gt;%1&lt;/b&gt;：%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Reference log-probs</source>
        <translation>参考对数概率</translation>
    </message>
    <message>
        <source>&lt;p&gt;chosen: sum %1, mean %2&lt;br&gt;rejected: sum %3, mean %4&lt;br&gt;&lt;b&gt;margin %5&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;优选：总和 %1，均值 %2&lt;br&gt;劣选：总和 %3，均值 %4&lt;br&gt;&lt;b&gt;差值 %5&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Not scored yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;尚未评分。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Curation</source>
        <translation>审阅</translation>
    </message>
    <message>
        <source>&lt;p&gt;Tags: %1&lt;/p&gt;&lt;p&gt;Note: %2&lt;/p&gt;</source>
        <translation>&lt;p&gt;标签：%1&lt;/p&gt;&lt;p&gt;备注：%2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Lineage</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>&lt;p&gt;Round %1 (%2)</source>
        <translation>&lt;p&gt;第 %1 轮（%2）</translation>
    </message>
    <message>
        <source>, continues round %1</source>
        <translation>，延续第 %1 轮</translation>
    </message>
    <message>
        <source>&lt;br&gt;Generator: %1&lt;br&gt;Model hash: %2&lt;br&gt;Created %3&lt;/p&gt;</source>
        <translation>&lt;br&gt;生成模型：%1&lt;br&gt;模型哈希：%2&lt;br&gt;创建于 %3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Corruption %1, seed %2</source>
        <translation>损坏 %1，随机种子 %2</translation>
    </message>
</context>
<context>
    <name>sena::ui::PairTableModel</name>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>filtered (%1)</source>
        <translation>已过滤（%1）</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation>优选</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>劣选</translation>
    </message>
    <message>
        <source>Chosen len.</source>
        <translation>优选长度</translation>
    </message>
    <message>
        <source>Rejected len.</source>
        <translation>劣选长度</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>差值</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>过滤器</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>sena::ui::PairsView</name>
    <message>
        <source>A accept · R reject · S swap · E edit · T tag · N note · J/K move</source>
        <translation>A 接受 · R 拒绝 · S 交换 · E 编辑 · T 标签 · N 备注 · J/K 移动</translation>
    </message>
    <message>
        <source>%1 pairs · %2 pending · %3 accepted · %4 rejected · %5 edited</source>
        <translation>%1 个偏好对 · %2 个待定 · %3 个已接受 · %4 个已拒绝 · %5 个已编辑</translation>
    </message>
    <message>
        <source>Tag Pair</source>
        <translation>为偏好对添加标签</translation>
    </message>
    <message>
        <source>Tags, separated by commas:</source>
        <translation>标签（以逗号分隔）：</translation>
    </message>
    <message>
        <source>Note on Pair</source>
        <translation>偏好对备注</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
</context>
<context>
    <name>sena::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation>CUDA GPU %1</translation>
    </message>
    <message>
        <source>float16 (GPU only)</source>
        <translation>float16（仅限 GPU）</translation>
    </message>
    <message>
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Compute &amp;device:</source>
        <translation>计算设备(&amp;D)：</translation>
    </message>
    <message>
        <source>Data &amp;type:</source>
        <translation>数据类型(&amp;T)：</translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation>CPU 线程数(&amp;T)：</translation>
    </message>
    <message>
        <source>T&amp;humbnail size:</source>
        <translation>缩略图大小(&amp;H)：</translation>
    </message>
    <message>
        <source>The colour theme follows the system.</source>
        <translation>配色主题跟随系统设置。</translation>
    </message>
</context>
<context>
    <name>sena::ui::RoundPanel</name>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation>偏好对</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Generate…</source>
        <translation>生成…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Generation started with %1</source>
        <translation>已开始使用 %1 生成</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Round %1: %2</source>
        <translation>第 %1 轮：%2</translation>
    </message>
    <message>
        <source>%1 / %2 images · %3 questions · %4 pairs (%5 passed) · %6 tokens/s · elapsed %7 · ETA %8</source>
        <translation>%1 / %2 张图像 · %3 个问题 · %4 个偏好对（%5 个通过）· %6 token/秒 · 已用时 %7 · 预计剩余 %8</translation>
    </message>
    <message>
        <source>Round finished</source>
        <translation>本轮已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <source>generating</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>generated</source>
        <translation>已生成</translation>
    </message>
    <message>
        <source>scoring</source>
        <translation>评分中</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>trained</source>
        <translation>已训练</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>sena::ui::RoundWorker</name>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Generating round…</source>
        <translation>正在生成轮次…</translation>
    </message>
    <message>
        <source>Round finished</source>
        <translation>本轮已完成</translation>
    </message>
    <message>
        <source>Generation cancelled; finished images are kept</source>
        <translation>生成已取消；已完成的图像会保留</translation>
    </message>
</context>
<context>
    <name>sena::ui::StartPage</name>
    <message>
        <source>&lt;h1&gt;SENA Workbench&lt;/h1&gt;&lt;p&gt;Self-evolution of multimodal models from unannotated images: generate preference pairs, curate them, and train round after round.&lt;/p&gt;</source>
        <translation>&lt;h1&gt;SENA 工作台&lt;/h1&gt;&lt;p&gt;基于无标注图像的多模态模型自我进化：生成偏好对、审阅筛选，并逐轮训练。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>New Workspace…</source>
        <translation>新建工作区…</translation>
    </message>
    <message>
        <source>Open Workspace…</source>
        <translation>打开工作区…</translation>
    </message>
    <message>
        <source>Open Demo</source>
        <translation>打开演示</translation>
    </message>
    <message>
        <source>Builds a tiny random model, sample images and one generated round, to try the workbench without downloading a model.</source>
        <translation>构建一个微型随机模型、示例图像和一个已生成的轮次，无需下载模型即可试用工作台。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent workspaces&lt;/b&gt;</source>
        <translation>&lt;b&gt;最近的工作区&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No workspace opened yet.</source>
        <translation>尚未打开过工作区。</translation>
    </message>
</context>
</TS>
