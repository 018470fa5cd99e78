// Turns a {stage, index, errno} report from the child into the sentence a user reads:
// "mount proc on /proc: Operation not permitted".
#pragma once

#include <string>

#include "namespaces/handoff.h"
#include "namespaces/start_plan.h"

namespace cradle::ns {

std::string describe_failure(const StartPlan& plan, const HandoffMessage& failure);
std::string describe_process_failure(const ProcessPlan& process, const HandoffMessage& failure);

}  // namespace cradle::ns
