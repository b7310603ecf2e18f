#include "train/Distributed.h"

#include "util/Error.h"

#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#if defined(SENA_HAVE_GLOO)
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if defined(USE_C10D_NCCL)
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <map>

namespace sena::train {
namespace {

const char* env(const char* name) {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
}

int envInt(const char* primary, const char* fallback, int otherwise) {
    const char* name = env(primary) ? primary : fallback && env(fallback) ? fallback : nullptr;
    if (!name)
        return otherwise;
    try {
        size_t used = 0;
        int v = std::stoi(env(name), &used);
        if (used != std::string(env(name)).size())
            throw std::invalid_argument("trailing");
        return v;
    } catch (const std::exception&) {
        throw ConfigError(std::string("environment variable ") + name + "='" + env(name) + "' is not an integer");
    }
}

class SingleProcess : public Communicator {
public:
    int rank() const override { return 0; }
    int worldSize() const override { return 1; }
    void allReduceSum(std::vector<torch::Tensor>&) override {}
    void broadcast(std::vector<torch::Tensor>&, int) override {}
    void barrier() override {}
    std::string backendName() const override { return "single"; }
};

// c10d process group (Gloo or NCCL). Collectives run synchronously: the trainer needs their result
// before the optimizer step anyway.
template <class Group>
class C10dCommunicator : public Communicator {
public:
    C10dCommunicator(c10::intrusive_ptr<Group> group, int rank, int world, std::string name)
        : m_group(std::move(group)), m_rank(rank), m_world(world), m_name(std::move(name)) {}
    int rank() const override { return m_rank; }
    int worldSize() const override { return m_world; }
    void allReduceSum(std::vector<torch::Tensor>& tensors) override {
        c10d::AllreduceOptions o;
        o.reduceOp = c10d::ReduceOp::SUM;
        m_group->allreduce(tensors, o)->wait();
    }
    void broadcast(std::vector<torch::Tensor>& tensors, int root) override {
        c10d::BroadcastOptions o;
        o.rootRank = root;
        m_group->broadcast(tensors, o)->wait();
    }
    void barrier() override { m_group->barrier()->wait(); }
    std::string backendName() const override { return m_name; }

private:
    c10::intrusive_ptr<Group> m_group;
    int m_rank, m_world;
    std::string m_name;
};

c10::intrusive_ptr<c10d::Store> makeStore(const DistributedEnv& e) {
    const std::string filePrefix = "file://";
    if (e.initMethod.rfind(filePrefix, 0) == 0)
        return c10::make_intrusive<c10d::FileStore>(e.initMethod.substr(filePrefix.size()), e.worldSize);
    if (!e.initMethod.empty())
        throw ConfigError("SENA_DIST_INIT='" + e.initMethod + "' is not file:///path (leave it unset for TCP)");
    c10d::TCPStoreOptions o;
    o.port = static_cast<std::uint16_t>(e.masterPort);
    o.isServer = e.rank == 0;
    o.numWorkers = e.worldSize;
    o.waitWorkers = true;
    o.timeout = std::chrono::minutes(5);
    return c10::make_intrusive<c10d::TCPStore>(e.masterAddr, o);
}

}  // namespace

DistributedEnv DistributedEnv::fromEnvironment() {
    DistributedEnv e;
    e.rank = envInt("RANK", "SLURM_PROCID", 0);
    e.worldSize = envInt("WORLD_SIZE", "SLURM_NTASKS", 1);
    e.localRank = envInt("LOCAL_RANK", "SLURM_LOCALID", 0);
    if (const char* a = env("MASTER_ADDR"))
        e.masterAddr = a;
    e.masterPort = envInt("MASTER_PORT", nullptr, e.masterPort);
    if (const char* init = env("SENA_DIST_INIT"))
        e.initMethod = init;
    if (e.worldSize < 1)
        throw ConfigError("WORLD_SIZE must be at least 1 (got " + std::to_string(e.worldSize) + ")");
    if (e.rank < 0 || e.rank >= e.worldSize)
        throw ConfigError("RANK " + std::to_string(e.rank) + " lies outside WORLD_SIZE " + std::to_string(e.worldSize));
    if (e.masterPort <= 0 || e.masterPort > 65535)
        throw ConfigError("MASTER_PORT " + std::to_string(e.masterPort) + " is not a TCP port");
    return e;
}

std::unique_ptr<Communicator> singleProcess() { return std::make_unique<SingleProcess>(); }

bool glooAvailable() {
#if defined(SENA_HAVE_GLOO)
    return true;
#else
    return false;
#endif
}

std::unique_ptr<Communicator> connect(const DistributedEnv& e, const torch::Device& device) {
    if (e.worldSize == 1)
        return singleProcess();
    auto store = makeStore(e);
#if defined(USE_C10D_NCCL)
    if (device.is_cuda()) {
        auto opts = c10d::ProcessGroupNCCL::Options::create();
        auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, e.rank, e.worldSize, opts);
        return std::make_unique<C10dCommunicator<c10d::ProcessGroupNCCL>>(group, e.rank, e.worldSize, "nccl");
    }
#endif
#if defined(SENA_HAVE_GLOO)
    if (device.is_cuda())
        throw ConfigError("distributed CUDA training needs LibTorch built with NCCL; this build has Gloo only "
                          "(train on CPU tensors or use a CUDA LibTorch with NCCL)");
    auto opts = c10d::ProcessGroupGloo::Options::create();
    // GLOO_SOCKET_IFNAME picks the interface as in PyTorch; a loopback master means a one-host run.
    if (const char* ifname = env("GLOO_SOCKET_IFNAME"))
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(ifname));
    else if (e.masterAddr == "localhost" || e.masterAddr.rfind("127.", 0) == 0)
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    else
        opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, e.rank, e.worldSize, opts);
    return std::make_unique<C10dCommunicator<c10d::ProcessGroupGloo>>(group, e.rank, e.worldSize, "gloo");
#else
    (void)device;
    throw ConfigError("WORLD_SIZE is " + std::to_string(e.worldSize) +
                      " but this build has no c10d Gloo backend; install the gloo headers (Debian: libgloo-dev) and "
                      "reconfigure, or run a single process");
#endif
}

namespace {
// Packs same-dtype tensors into flat buckets (c10d collectives take one tensor per device), runs
// `collective` on each bucket and copies the result back.
template <class Collective>
void bucketed(const std::vector<torch::Tensor>& tensors, int64_t bucketElements, Collective&& collective) {
    torch::NoGradGuard noGrad;
    std::map<torch::ScalarType, std::vector<torch::Tensor>> byType;
    for (const auto& t : tensors)
        byType[t.scalar_type()].push_back(t);
    for (auto& [type, list] : byType) {
        size_t i = 0;
        while (i < list.size()) {
            std::vector<torch::Tensor> bucket, views;
            int64_t elements = 0;
            while (i < list.size() && (bucket.empty() || elements + list[i].numel() <= bucketElements)) {
                elements += list[i].numel();
                views.push_back(list[i].reshape({-1}));
                bucket.push_back(list[i++]);
            }
            std::vector<torch::Tensor> flat{torch::cat(views)};
            collective(flat);
            int64_t offset = 0;
            for (auto& t : bucket) {
                t.copy_(flat[0].narrow(0, offset, t.numel()).view_as(t));
                offset += t.numel();
            }
        }
    }
}
}  // namespace

void allReduceSumBucketed(Communicator& comm, const std::vector<torch::Tensor>& tensors, int64_t bucketElements) {
    if (comm.worldSize() > 1)
        bucketed(tensors, bucketElements, [&](std::vector<torch::Tensor>& flat) { comm.allReduceSum(flat); });
}

void broadcastBucketed(Communicator& comm, const std::vector<torch::Tensor>& tensors, int root,
                       int64_t bucketElements) {
    if (comm.worldSize() > 1)
        bucketed(tensors, bucketElements, [&](std::vector<torch::Tensor>& flat) { comm.broadcast(flat, root); });
}

}  // namespace sena::train
