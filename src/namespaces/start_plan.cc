#include "namespaces/start_plan.h"

namespace cradle::ns {

void ProcessPlan::finalize() {
  argv.clear();
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  envp.clear();
  for (auto& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
}

}  // namespace cradle::ns
