<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutText</name>
    <message>
        <source>&lt;h3&gt;SENA Workbench %1&lt;/h3&gt;&lt;p&gt;Self-evolution of multimodal models from unannotated images: the model asks and checks its own questions, answers them on clean and corrupted images, and learns from the preference pairs you curate.&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2 (built with %3)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;LibTorch&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;OpenCV&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;SQLite&lt;/td&gt;&lt;td&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EditPairCommand</name>
    <message>
        <source>Edit question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit chosen answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit rejected answer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelFolderCheck</name>
    <message>
        <source>✗ The folder does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ config.json: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ %1 parameters (vision %2, projector %3, language %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  Weights in memory: %1 in float32, %2 in bfloat16/float16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ config.json: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Weights found (safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ No model.safetensors or model.safetensors.index.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Tokenizer found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ No tokenizer.json or tokenizer.model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Image preprocessor found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ No preprocessor_config.json</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PairCommand</name>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewPreprocessor</name>
    <message>
        <source>model preprocessor (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default CLIP 336 px preprocessor</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetCurationCommand</name>
    <message numerus="yes">
        <source>Accept %n pair(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reject %n pair(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reset %n pair(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SetNoteCommand</name>
    <message>
        <source>Note on pair</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetTagsCommand</name>
    <message>
        <source>Tag pair</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Self-evolution workbench for multimodal models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace folder to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render every view into PNG files in &lt;dir&gt; and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open (building if needed) the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::BackgroundTask</name>
    <message>
        <source>%1 cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::CorruptionLab</name>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Preset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Chain&lt;/b&gt; (image steps run before tensor steps)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spec:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Original&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Corrupted, as the model sees it&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preprocessing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>√ᾱ = %1 (signal kept) · √(1−ᾱ) = %2 (noise)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(choose a preset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SENA: diffusion t=600</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SeVa: diffusion t=800</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STIC: downscale to 20 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::GenerateDialog</name>
    <message>
        <source>Generate Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt Set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt sets (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>built-in prompt set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper: the check sees the image, may regenerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authors&apos; code: text-only check, one pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all new images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt set file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-check:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check attempts:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corruption (rejected side):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pair filters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images per batch:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows per model call:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max new tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images in this round:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the model folder that generates the round.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::ImageBadgeDelegate</name>
    <message>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot decode</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::ImageBrowser</name>
    <message>
        <source>All images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by file name…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sena::ui::ImageListModel</name>
    <message>
        <source>
%1 × %2 %3, %4 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Import failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
%1 questions, %2 pairs (%3 accepted, %4 rejected)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::MainWindow</name>
    <message>
        <source>SENA Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corruption Lab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pair Inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import Images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Swap Chosen and Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Generate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel Generation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About SENA Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — SENA Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait for “%1” to finish first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 new images (%2 found, %3 duplicates, %4 failed, %5 unchanged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo ready in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About SENA Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A round is being generated. Cancel it and quit? Finished images are kept.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::NewWorkspaceDialog</name>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Workspace Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Image Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Base Model Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images can also be imported later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ The image folder does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Images will be imported after the workspace is created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ That folder already holds a workspace; open it instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Base model folder:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::PairFilterBar</name>
    <message>
        <source>Any state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curation state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description (des)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question (gen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passed or filtered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passed filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filtered out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All rounds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search question and answers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortest chosen answer, in characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest chosen answer, in characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smallest reference margin (chosen − rejected log-prob)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest reference margin (chosen − rejected log-prob)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Margin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::PairInspector</name>
    <message>
        <source>Original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the model saw it (rejected side)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;i&gt;Select a pair to inspect it.&lt;/i&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Pair %1&lt;/b&gt; · round %2 · %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Self-questioning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;First question:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Self-check reply:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Final question:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Attempts: %1 · mode: %2 · %3&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paper (check sees the image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>code (text-only check)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p style=&quot;color:#c62828&quot;&gt;Question filter &lt;b&gt;%1&lt;/b&gt;: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer on the clean image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;small&gt;%1 word(s) only in chosen, %2 only in rejected.&lt;/small&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Edited by the curator; the generated texts are kept.&lt;/i&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Passed every filter.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p style=&quot;color:#c62828&quot;&gt;&lt;b&gt;%1&lt;/b&gt;: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference log-probs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;chosen: sum %1, mean %2&lt;br&gt;rejected: sum %3, mean %4&lt;br&gt;&lt;b&gt;margin %5&lt;/b&gt;&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Not scored yet.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Curation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Tags: %1&lt;/p&gt;&lt;p&gt;Note: %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lineage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Round %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, continues round %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;br&gt;Generator: %1&lt;br&gt;Model hash: %2&lt;br&gt;Created %3&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corruption %1, seed %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::PairTableModel</name>
    <message>
        <source>pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>filtered (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen len.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected len.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Margin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::PairsView</name>
    <message>
        <source>A accept · R reject · S swap · E edit · T tag · N note · J/K move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 pairs · %2 pending · %3 accepted · %4 rejected · %5 edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags, separated by commas:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note on Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>float16 (GPU only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all cores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute &amp;device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU &amp;threads:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;humbnail size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The colour theme follows the system.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::RoundPanel</name>
    <message>
        <source>Round</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pairs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation started with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2 images · %3 questions · %4 pairs (%5 passed) · %6 tokens/s · elapsed %7 · ETA %8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::RoundWorker</name>
    <message>
        <source>Loading model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generating round…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Round finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation cancelled; finished images are kept</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>sena::ui::StartPage</name>
    <message>
        <source>&lt;h1&gt;SENA Workbench&lt;/h1&gt;&lt;p&gt;Self-evolution of multimodal models from unannotated images: generate preference pairs, curate them, and train round after round.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Builds a tiny random model, sample images and one generated round, to try the workbench without downloading a model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent workspaces&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No workspace opened yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
