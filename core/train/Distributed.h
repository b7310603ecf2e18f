#pragma once
// Data-parallel process groups over c10d: Gloo on CPU, NCCL on CUDA where LibTorch was built with
// it. Launch like torchrun / Slurm: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
// (falling back to SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID). SENA_DIST_INIT=file:///path uses a
// FileStore on a shared filesystem instead of a TCPStore (rank 0 serves the TCPStore).
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace sena::train {

struct DistributedEnv {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    std::string initMethod;  // "" (TCP from MASTER_ADDR/PORT) or "file://<path>"
    // Reads the environment; a single process when none of the variables is set. Throws
    // ConfigError naming the variable when a value is malformed or inconsistent.
    static DistributedEnv fromEnvironment();
};

// What the trainer needs from a process group. A single process is the trivial implementation.
class Communicator {
public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int worldSize() const = 0;
    // In place. As in c10d, a call takes one tensor per local device (use the *Bucketed helpers
    // below for many tensors).
    virtual void allReduceSum(std::vector<torch::Tensor>& tensors) = 0;
    virtual void broadcast(std::vector<torch::Tensor>& tensors, int root) = 0;
    virtual void barrier() = 0;
    virtual std::string backendName() const = 0;
};

// A single process (world size 1): every collective is the identity.
std::unique_ptr<Communicator> singleProcess();

// Joins the group described by `env` for tensors on `device`: NCCL for CUDA when available,
// Gloo otherwise. World size 1 gives singleProcess(). Throws ConfigError with advice when the
// build lacks the backend (Gloo needs the gloo headers, Debian: libgloo-dev).
std::unique_ptr<Communicator> connect(const DistributedEnv& env, const torch::Device& device);

// Sums every tensor across ranks in place, packing same-dtype tensors into flat buckets of at most
// `bucketElements` so that many small gradients cost few collectives.
void allReduceSumBucketed(Communicator& comm, const std::vector<torch::Tensor>& tensors,
                          int64_t bucketElements = int64_t{1} << 25);

// Rank `root`'s values into every rank's tensors, bucketed the same way.
void broadcastBucketed(Communicator& comm, const std::vector<torch::Tensor>& tensors, int root = 0,
                       int64_t bucketElements = int64_t{1} << 25);

bool glooAvailable();

}  // namespace sena::train
