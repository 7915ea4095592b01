// Every message type every node may see, registered in one place: CAF type names are the wire
// contract between cluster members, so all nodes must register the same set.
#pragma once

namespace caf {
class actor_system_config;
}

namespace coder::node {

void register_message_types(caf::actor_system_config& cfg);

}  // namespace coder::node
