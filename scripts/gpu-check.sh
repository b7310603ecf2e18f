#!/usr/bin/env bash
# Runs ON the GPU machine (Ubuntu, CUDA, PyTorch with its LibTorch; no Qt, OpenCV or SQLite
# headers). Prepare with scripts/gpu-prepare.sh here first. In one call it builds the headless
# engine against PyTorch's LibTorch, runs parity on CUDA (float32 and bfloat16), our engine
# benchmark in the LLaVA-1.5-7B shape, and the Hugging Face anchor on the same GPU, then prints
# one JSON with the ratios. Set SENA_GPU_COMPILED=1 to also run the torch.compile anchor (~1.5 min).
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-/tmp/sena-gpu}"
mkdir -p "$out"
[ -d .deps/fixtures ] || { echo "run scripts/gpu-prepare.sh on the workstation first and carry .deps" >&2; exit 2; }
prefix="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee "$out/gpu.txt"
cmake -S . -B build-cuda -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DSENA_ENGINE_ONLY=ON -DSENA_BUILD_UI=OFF -DSENA_BUILD_TESTS=OFF -DSENA_WITH_OPENCV=OFF \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DSENA_FIXTURES_DIR="$PWD/.deps/fixtures" >"$out/configure.log" 2>&1 \
  || { tail -40 "$out/configure.log"; exit 1; }
cmake --build build-cuda -j "$(nproc)" --target sena engine_bench train_bench >"$out/build.log" 2>&1 \
  || { grep -m20 -E "error|Error" "$out/build.log"; exit 1; }

# Parity: the OpenCV-less build reads PPM, so convert image.png with PIL first.
fx=.deps/fixtures/hf/tiny-llava-llama-clip
python3 -c "from PIL import Image; Image.open('$fx/image.png').convert('RGB').save('$fx/image.ppm')"
./build-cuda/app/cli/sena parity "$fx" --device cuda --dtype float32 --json >"$out/parity_cuda_float32.json"
echo "parity cuda float32 exit $?"
./build-cuda/app/cli/sena parity "$fx" --device cuda --dtype bfloat16 --json >"$out/parity_cuda_bfloat16.json"
echo "parity cuda bfloat16 exit $?"

./build-cuda/bench/engine_bench --model llava-1.5-7b --device cuda --dtype bfloat16 --new-tokens 128 \
  --batches 1,16 --text-tokens 50 --repeats 5 >"$out/engine_bench.json" 2>"$out/engine_bench.err"
echo "engine_bench exit $?"
./build-cuda/bench/train_bench --model llava-1.5-7b --device cuda --dtype bfloat16 --pairs 2 --text-tokens 50 \
  --response-tokens 64 --lora-r 64 --steps 5 >"$out/train_bench.json" 2>"$out/train_bench.err"
echo "train_bench exit $?"
OUT="$out" python3 .deps/tools/hf_baseline.py >"$out/hf_baseline.log" 2>&1
echo "hf_baseline exit $?"
if [ "${SENA_GPU_COMPILED:-0}" = 1 ]; then
  OUT="$out" python3 .deps/tools/hf_compiled.py >"$out/hf_compiled.log" 2>&1
fi
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    try:
        return json.load(open(os.path.join(out, name)))
    except Exception as e:
        return {"error": str(e)}
ours, hf, train = load("engine_bench.json"), load("hf_baseline.json"), load("train_bench.json")
res = {"gpu": open(os.path.join(out, "gpu.txt")).read().strip(), "ours": ours, "ours_train": train, "hf_eager": hf,
       "parity_float32": load("parity_cuda_float32.json").get("passed"),
       "parity_bfloat16": load("parity_cuda_bfloat16.json").get("passed")}
def ratio(a, b, inverse=False):
    try:
        return (b / a) if inverse else (a / b)
    except Exception:
        return None
res["ratios_vs_hf_eager"] = {
    "decode_bs1": ratio(ours.get("generate_bs1_tok_s"), hf.get("gen_bs1_tok_s")),
    "decode_bs16": ratio(ours.get("generate_bs16_tok_s"), hf.get("gen_bs16_tok_s")),
    "prefill_speedup": ratio(ours.get("prefill_ms"), hf.get("prefill_bs1_ms"), inverse=True),
    "dpo_lora_tokens_per_s": ratio(train.get("tokens_per_second"), hf.get("dpo_lora_tokens_s")),
    "dpo_lora_peak_memory": ratio((train.get("peak_device_bytes") or 0) / 2**30, hf.get("dpo_lora_peak_gib")),
}
print(json.dumps(res, indent=1))
json.dump(res, open(os.path.join(out, "gpu_check.json"), "w"), indent=1)
PY
