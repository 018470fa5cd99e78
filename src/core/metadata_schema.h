// The metadata database's schema and its upgrades, kept apart from the queries so that a change to
// the tables is one reviewed step in one place.
#pragma once

#include "core/sqlite_db.h"

namespace cradle {

// The schema version this cradled writes.
int metadata_schema_version();

// Brings the database to metadata_schema_version(), applying each missing step in one
// transaction. kFailedPrecondition when the database is newer than this cradled.
void migrate_metadata_schema(SqliteDb& db);

}  // namespace cradle
