#pragma once
// The text decoder's forward for training, with optional gradient checkpointing of each decoder
// layer. LibTorch has no torch.utils.checkpoint in C++, so a custom autograd Function runs the
// layer without building its graph (forward runs under no-grad), keeps only its inputs, and in
// backward re-runs the layer with grad enabled on a detached copy of its input and
// back-propagates through that recomputed graph. The default generator's state is saved with the
// inputs and restored around the recomputation, so dropout (LoRA dropout) draws the same masks.
#include "model/TextDecoder.h"

namespace sena::train {

// Hidden states after the final norm, exactly as TextDecoderImpl::forward without a KV cache.
// With `checkpoint`, activation memory drops from all layers' intermediates to one layer's plus
// each layer's input, at the cost of a second forward per layer in backward.
torch::Tensor decoderHidden(model::TextDecoderImpl& decoder, const torch::Tensor& embeds,
                            const torch::Tensor& positions, const torch::Tensor& mask, bool checkpoint);

// Layer recomputations run by checkpointed backward passes in this process (diagnostics, tests).
int64_t checkpointRecomputations();

}  // namespace sena::train
