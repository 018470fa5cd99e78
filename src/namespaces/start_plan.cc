#include "namespaces/start_plan.h"

#include "base/c_strings.h"

namespace cradle::ns {

void ProcessPlan::finalize() {
  argv = c_strings(args);
  envp = c_strings(env);
}

}  // namespace cradle::ns
