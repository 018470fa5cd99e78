#include "core/metadata_store.h"

#include <sys/stat.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "core/container_options_json.h"
#include "core/json_field.h"
#include "core/metadata_schema.h"
#include "core/sqlite_db.h"

namespace cradle {
namespace {

using nlohmann::json;

// How long a call waits for another process holding the database (sqlite3 on the command line, a
// second cradled refusing to start) before failing with kUnavailable.
constexpr int kBusyTimeoutMs = 5000;

constexpr std::string_view kContainerColumns =
    "ns, id, name, image, labels, options, spec_json, created_at_ns, exit_status, exited_at_ns, "
    "exit_reason";
constexpr std::string_view kImageColumns = "name, digest, config_json, layers, size, created_at_ns";

std::string sql(std::string_view before, std::string_view columns, std::string_view after) {
  return std::string(before) + std::string(columns) + std::string(after);
}

std::string open_database_path(const std::string& root) {
  if (::mkdir(root.c_str(), 0700) != 0 && errno != EEXIST) throw_errno("create " + root);
  return root + "/meta.db";
}

// A JSON column read back. It was written by this store, so a parse failure means the file was
// damaged or edited: kInternal, naming the row and column.
template <typename T>
T parse_column(const SqliteDb& db, const std::string& row, std::string_view column,
               const std::string& text) {
  try {
    return json::parse(text).get<T>();
  } catch (const json::exception& e) {
    throw Error(ErrorCode::kInternal,
                db.path() + ": " + row + ": column " + std::string(column) + ": " + e.what());
  }
}

// Binds a container's columns, in kContainerColumns order, to parameters 1..11.
void bind_container(SqliteStatement& statement, const ContainerRecord& r) {
  statement.bind_all(r.ns, r.id, r.name, r.image, json(r.labels).dump(), json(r.options).dump(),
                     r.spec_json, r.created_at_ns);
  if (r.last_exit) {
    statement.bind(9, std::int64_t{r.last_exit->status})
        .bind(10, r.last_exit->exited_at_ns)
        .bind(11, r.last_exit->reason);
  } else {
    statement.bind(9, std::nullopt).bind(10, std::nullopt).bind(11, std::nullopt);
  }
}

ContainerRecord read_container(const SqliteDb& db, const SqliteStatement& row) {
  ContainerRecord r;
  r.ns = row.text(0);
  r.id = row.text(1);
  r.name = row.text(2);
  r.image = row.text(3);
  std::string where = "container " + r.ns + "/" + r.id;
  r.labels = parse_column<std::map<std::string, std::string>>(db, where, "labels", row.text(4));
  r.options = parse_column<ContainerOptions>(db, where, "options", row.text(5));
  r.spec_json = row.text(6);
  r.created_at_ns = row.integer(7);
  if (!row.is_null(8)) {
    r.last_exit = ExitInfo{.status = static_cast<std::uint32_t>(row.integer(8)),
                           .exited_at_ns = row.integer(9),
                           .reason = row.text(10)};
  }
  return r;
}

ImageRecord read_image(const SqliteDb& db, const SqliteStatement& row) {
  ImageRecord r;
  r.name = row.text(0);
  r.digest = row.text(1);
  r.config_json = row.text(2);
  r.layers = parse_column<std::vector<std::string>>(db, "image " + r.name, "layers", row.text(3));
  r.size = row.integer(4);
  r.created_at_ns = row.integer(5);
  return r;
}

[[noreturn]] void no_such_container(const std::string& name_or_id) {
  throw Error(ErrorCode::kNotFound, "no such container: " + name_or_id);
}

[[noreturn]] void no_such_image(const std::string& name) {
  throw Error(ErrorCode::kNotFound, "no such image: " + name);
}

}  // namespace

struct MetadataStore::Impl {
  explicit Impl(const std::string& root) : db(open_database_path(root), kBusyTimeoutMs) {
    // WAL: readers never block the writer and a crash mid-write leaves the last commit intact.
    {
      // Scoped: a statement still open would keep the migration's transaction from committing.
      SqliteStatement mode = db.prepare("PRAGMA journal_mode=WAL");
      if (!mode.step() || mode.text(0) != "wal") {
        throw Error(ErrorCode::kInternal,
                    db.path() + ": the database refused the WAL journal mode");
      }
    }
    migrate_metadata_schema(db);
  }

  // The rows of `table` matching `where` (with its parameters args), each read by read_row.
  template <typename Record>
  std::vector<Record> select(Record (*read_row)(const SqliteDb&, const SqliteStatement&),
                             std::string_view columns, std::string_view table,
                             std::string_view where, const auto&... args) const {
    SqliteStatement select = db.prepare(sql("SELECT ", columns, " FROM ") + std::string(table) +
                                        " " + std::string(where));
    select.bind_all(args...);
    std::vector<Record> out;
    while (select.step())
      out.push_back(read_row(db, select));
    return out;
  }

  std::vector<ContainerRecord> containers(std::string_view where, const auto&... args) const {
    return select(read_container, kContainerColumns, "containers", where, args...);
  }

  std::vector<ImageRecord> images(std::string_view where, const auto&... args) const {
    return select(read_image, kImageColumns, "images", where, args...);
  }

  // kAlreadyExists when another container of ns (not `id`) is called `name`.
  void check_name_free(const std::string& ns, const std::string& name, const std::string& id) {
    if (!containers("WHERE ns = ? AND name = ? AND id <> ?", ns, name, id).empty()) {
      throw Error(ErrorCode::kAlreadyExists,
                  "container name " + quote(name) + " is already in use");
    }
  }

  void put_image(const ImageRecord& r) {
    db.prepare(sql("INSERT OR REPLACE INTO images (", kImageColumns, ") VALUES (?, ?, ?, ?, ?, ?)"))
        .bind_all(r.name, r.digest, r.config_json, json(r.layers).dump(), r.size, r.created_at_ns)
        .run();
  }

  // One connection, so calls take turns; SQLite's WAL still lets another process read meanwhile.
  mutable std::mutex mutex;
  SqliteDb db;
};

MetadataStore::MetadataStore(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}

MetadataStore::~MetadataStore() = default;

void MetadataStore::add_container(const ContainerRecord& record) {
  std::lock_guard lock(impl_->mutex);
  SqliteTransaction transaction(impl_->db);
  if (!impl_->containers("WHERE ns = ? AND id = ?", record.ns, record.id).empty()) {
    throw Error(ErrorCode::kAlreadyExists,
                "container id " + quote(record.id) + " is already in use");
  }
  impl_->check_name_free(record.ns, record.name, record.id);
  SqliteStatement insert = impl_->db.prepare(sql("INSERT INTO containers (", kContainerColumns,
                                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  bind_container(insert, record);
  insert.run();
  transaction.commit();
}

void MetadataStore::update_container(const ContainerRecord& record) {
  std::lock_guard lock(impl_->mutex);
  SqliteTransaction transaction(impl_->db);
  impl_->check_name_free(record.ns, record.name, record.id);
  // The key columns are parameters 1 and 2 of bind_container; the WHERE clause reuses them.
  SqliteStatement update = impl_->db.prepare(
      "UPDATE containers SET name = ?3, image = ?4, labels = ?5, options = ?6, spec_json = ?7, "
      "created_at_ns = ?8, exit_status = ?9, exited_at_ns = ?10, exit_reason = ?11 "
      "WHERE ns = ?1 AND id = ?2");
  bind_container(update, record);
  update.run();
  if (impl_->db.changes() == 0) no_such_container(record.id);
  transaction.commit();
}

ContainerRecord MetadataStore::find_container(const std::string& ns,
                                              const std::string& name_or_id) const {
  std::lock_guard lock(impl_->mutex);
  // As docker resolves a reference: a full id first, then a name, then an id prefix.
  for (std::string_view column : {"id", "name"}) {
    auto found =
        impl_->containers("WHERE ns = ? AND " + std::string(column) + " = ?", ns, name_or_id);
    if (!found.empty()) return std::move(found.front());
  }
  if (name_or_id.empty()) no_such_container(name_or_id);
  // substr, not LIKE: a prefix holding '%' or '_' must not act as a pattern.
  auto found =
      impl_->containers("WHERE ns = ? AND substr(id, 1, length(?2)) = ?2 LIMIT 2", ns, name_or_id);
  if (found.empty()) no_such_container(name_or_id);
  if (found.size() > 1) {
    throw Error(ErrorCode::kInvalidArgument,
                "container id prefix " + quote(name_or_id) + " is ambiguous");
  }
  return std::move(found.front());
}

std::vector<ContainerRecord> MetadataStore::list_containers(const std::string& ns) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->containers("WHERE ns = ? ORDER BY created_at_ns, id", ns);
}

std::vector<ContainerRecord> MetadataStore::list_all_containers() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->containers("ORDER BY ns, created_at_ns, id");
}

void MetadataStore::remove_container(const std::string& ns, const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  impl_->db.prepare("DELETE FROM containers WHERE ns = ? AND id = ?").bind_all(ns, id).run();
  if (impl_->db.changes() == 0) no_such_container(id);
}

void MetadataStore::put_image(const ImageRecord& record) {
  std::lock_guard lock(impl_->mutex);
  impl_->put_image(record);
}

void MetadataStore::put_images(const std::vector<ImageRecord>& records) {
  std::lock_guard lock(impl_->mutex);
  SqliteTransaction transaction(impl_->db);
  for (const auto& record : records)
    impl_->put_image(record);
  transaction.commit();
}

ImageRecord MetadataStore::find_image(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  auto found = impl_->images("WHERE name = ?", name);
  if (found.empty()) no_such_image(name);
  return std::move(found.front());
}

std::vector<ImageRecord> MetadataStore::list_images() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->images("ORDER BY name");
}

void MetadataStore::remove_image(const std::string& name) {
  std::lock_guard lock(impl_->mutex);
  SqliteTransaction transaction(impl_->db);
  auto users = impl_->containers("WHERE image = ? ORDER BY ns, created_at_ns LIMIT 1", name);
  if (!users.empty()) {
    throw Error(ErrorCode::kFailedPrecondition,
                "image " + quote(name) + " is used by container " + quote(users.front().name));
  }
  impl_->db.prepare("DELETE FROM images WHERE name = ?").bind(1, name).run();
  if (impl_->db.changes() == 0) no_such_image(name);
  transaction.commit();
}

bool MetadataStore::image_in_use(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  SqliteStatement select = impl_->db.prepare("SELECT 1 FROM containers WHERE image = ? LIMIT 1");
  select.bind(1, name);
  return select.step();
}

std::vector<ContainerRecord> MetadataStore::containers_using_image(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->containers("WHERE image = ? ORDER BY ns, created_at_ns, id", name);
}

}  // namespace cradle
