// The capabilities a container gets from --cap-add, --cap-drop and --privileged, computed as
// docker does (moby's caps.TweakCapabilities) from docker's 14 default capabilities.
#pragma once

#include <string>
#include <vector>

#include "core/container_options.h"
#include "namespaces/capabilities.h"

namespace cradle {

// CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE
// SYS_CHROOT KILL AUDIT_WRITE: what docker and containerd give a container by default.
ns::CapabilityMask default_capabilities();

// What "ALL" and --privileged get: every capability libcap has a name for that this process
// still holds in its bounding set. Docker gives every capability the kernel knows and the start
// fails where the runtime was denied one (this VM's root lacks CAP_SYS_RESOURCE); podman clips
// to the bounding set as here, since a container can never get more than the runtime has.
ns::CapabilityMask all_capabilities();

// Docker's rules: privileged gets every capability (cap_drop is ignored, as docker ignores it);
// cap_add ALL is every capability minus cap_drop; cap_drop ALL keeps only cap_add; otherwise the
// defaults minus cap_drop plus cap_add. Names are case-insensitive, with or without "CAP_";
// an unknown one throws kInvalidArgument "--cap-add FOO: unknown capability".
ns::CapabilityMask container_capabilities(const ContainerOptions& options);

// The OCI names ("CAP_CHOWN", ...) of the mask's capabilities, lowest number first.
std::vector<std::string> capability_names(ns::CapabilityMask mask);

}  // namespace cradle
