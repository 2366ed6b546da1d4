#include "nas/search/jsonl_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace tessera::search {

std::string to_json_line(const Evaluation& e) {
  nlohmann::ordered_json j;
  j["id"] = e.id;
  j["generation"] = e.generation;
  j["genome"] = e.genome;
  j["network"] = e.candidate.net;
  j["set"] = e.candidate.sets;
  j["parameters"] = e.candidate.parameters;
  j["status"] = status_name(e.outcome.status);
  j["metrics"] = e.outcome.metrics;
  j["message"] = e.outcome.message;
  return j.dump() + "\n";
}

Evaluation from_json_line(const std::string& line) {
  const auto j = nlohmann::json::parse(line);
  Evaluation e;
  e.id = j.at("id").get<int>();
  e.generation = j.at("generation").get<int>();
  e.genome = j.at("genome").get<Genome>();
  e.candidate.net = j.at("network").get<std::string>();
  e.candidate.sets = j.at("set").get<std::vector<std::string>>();
  e.candidate.parameters = j.at("parameters").get<int64_t>();
  e.outcome.status = status_from_name(j.at("status").get<std::string>());
  e.outcome.metrics = j.at("metrics").get<Metrics>();
  e.outcome.message = j.at("message").get<std::string>();
  return e;
}

std::vector<Evaluation> JsonlStore::load() {
  std::vector<Evaluation> out;
  std::ifstream in(path_, std::ios::binary);
  if (!in) return out;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string::npos) break;  // a torn last line: not recorded
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    Evaluation e;
    try {
      e = from_json_line(line);
    } catch (const std::exception& x) {
      throw std::runtime_error(path_ + ": line " + std::to_string(out.size() + 1) + " is corrupt: " + x.what());
    }
    e.id = int(out.size());
    out.push_back(std::move(e));
  }
  // Cut a torn tail off, so the next record starts on a fresh line.
  if (start < text.size()) {
    if (truncate(path_.c_str(), off_t(start)) != 0)
      throw std::runtime_error(path_ + ": cannot drop the torn last line: " + std::strerror(errno));
  }
  return out;
}

void JsonlStore::record(const Evaluation& e) {
  const std::string line = to_json_line(e);
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw std::runtime_error(path_ + ": " + std::strerror(errno));
    }
    done += size_t(n);
  }
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(path_ + ": fsync: " + std::strerror(errno));
}

}  // namespace tessera::search
