#include "core/metadata_schema.h"

#include <array>
#include <string>
#include <string_view>

#include "base/error.h"

namespace cradle {
namespace {

// Step N takes the schema from version N to N + 1. Append; never edit a released step.
constexpr std::array<std::string_view, 1> kSteps = {
    // 0 -> 1: containers per namespace, images by name. JSON columns hold what no query looks
    // inside (labels, options, the spec, an image's layer list).
    R"sql(
      CREATE TABLE containers (
        ns TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        image TEXT NOT NULL,
        labels TEXT NOT NULL,
        options TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        created_at_ns INTEGER NOT NULL,
        exit_status INTEGER,
        exited_at_ns INTEGER,
        exit_reason TEXT,
        UNIQUE (ns, id),
        UNIQUE (ns, name)
      );
      CREATE INDEX containers_by_image ON containers (image);
      CREATE TABLE images (
        name TEXT PRIMARY KEY,
        digest TEXT NOT NULL,
        config_json TEXT NOT NULL,
        layers TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at_ns INTEGER NOT NULL
      );
    )sql",
};

int read_version(SqliteDb& db) {
  SqliteStatement select = db.prepare("SELECT version FROM schema_version");
  return select.step() ? static_cast<int>(select.integer(0)) : 0;
}

}  // namespace

int metadata_schema_version() {
  return static_cast<int>(kSteps.size());
}

void migrate_metadata_schema(SqliteDb& db) {
  SqliteTransaction transaction(db);
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
          "create the schema_version table");
  int version = read_version(db);
  if (version > metadata_schema_version()) {
    throw Error(ErrorCode::kFailedPrecondition,
                db.path() + ": schema version " + std::to_string(version) +
                    " is newer than this cradled knows (" +
                    std::to_string(metadata_schema_version()) + ")");
  }
  if (version == metadata_schema_version()) return;  // nothing to write: the rollback is a no-op
  for (int step = version; step < metadata_schema_version(); ++step) {
    db.exec(kSteps[static_cast<std::size_t>(step)],
            "upgrade the schema to version " + std::to_string(step + 1));
  }
  db.exec("DELETE FROM schema_version", "record the schema version");
  db.prepare("INSERT INTO schema_version (version) VALUES (?)")
      .bind(1, std::int64_t{metadata_schema_version()})
      .run();
  transaction.commit();
}

}  // namespace cradle
