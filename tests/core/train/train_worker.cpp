// One rank of the data-parallel equality test: joins the group from RANK/WORLD_SIZE/… (see
// Distributed.h), trains the fixture model and, on rank 0, writes the trained weights to argv[1].
#include "TrainFixtures.h"
#include "model/Safetensors.h"
#include "model/TensorIO.h"

#include <iostream>

int main(int argc, char** argv) {
    using namespace sena::train;
    if (argc != 2) {
        std::cerr << "usage: train_worker OUT.safetensors (with RANK, WORLD_SIZE, SENA_DIST_INIT or MASTER_ADDR/PORT)\n";
        return 2;
    }
    try {
        torch::set_num_threads(1);
        auto env = DistributedEnv::fromEnvironment();
        std::shared_ptr<Communicator> comm = connect(env, torch::kCPU);
        auto model = testing::smallModel();
        auto examples = testing::makeExamples(model->config(), 6, 5);
        testing::attachReferences(model, examples);
        DpoTrainer trainer(model, testing::ddpOptions(comm->worldSize()), comm);
        auto result = trainer.train(examples);
        if (comm->rank() == 0) {
            sena::model::SafetensorsWriter w;
            for (size_t i = 0; i < trainer.trainableNames().size(); ++i)
                sena::model::addTensor(w, trainer.trainableNames()[i], trainer.trainableParameters()[i].detach());
            w.write(argv[1]);
        }
        std::cout << "rank " << comm->rank() << " of " << comm->worldSize() << " (" << comm->backendName()
                  << "): " << result.steps << " steps, loss " << result.last.loss << "\n";
        comm->barrier();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "train_worker: " << e.what() << "\n";
        return 1;
    }
}
