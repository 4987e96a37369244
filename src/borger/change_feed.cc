#include "borger/change_feed.h"

#include "net/client.h"

namespace adda::borger {

ChangeFeed::ChangeFeed(ChangeFeedOptions options) : options_(std::move(options)) {
  thread_ = std::thread([this] { Run(); });
}

ChangeFeed::~ChangeFeed() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

ChangeFeed::Stamp ChangeFeed::Take() const {
  std::lock_guard<std::mutex> lock(mu_);
  return Stamp{epoch_, applied_};
}

bool ChangeFeed::LiveLocked() const {
  return caught_up_ &&
         options_.clock->Ticks() - last_ok_ <
             std::chrono::duration_cast<std::chrono::microseconds>(options_.wait + options_.margin).count();
}

bool ChangeFeed::live() const {
  std::lock_guard<std::mutex> lock(mu_);
  return LiveLocked();
}

bool ChangeFeed::Unchanged(const std::string& cpr, const Stamp& stamp) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!LiveLocked() || stamp.epoch != epoch_ || epoch_ == 0) return false;
  auto it = changed_at_.find(cpr);
  return it == changed_at_.end() || it->second <= stamp.seen;
}

nlohmann::json ChangeFeed::Health() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {{"live", LiveLocked()},
          {"cursor", cursor_ ? nlohmann::json(*cursor_) : nlohmann::json(nullptr)},
          {"changes_applied", applied_},
          {"polls_failed", polls_failed_},
          {"fell_behind", fell_behind_}};
}

void ChangeFeed::Restart(const std::string& feed, int64_t cursor) {
  // Every stamp taken before is void: what happened between is unknown.
  ++epoch_;
  changed_at_.clear();
  feed_ = feed;
  cursor_ = cursor;
}

void ChangeFeed::Run() {
  net::ClientOptions co;
  co.timeout = options_.wait + options_.margin;
  co.default_headers["Authorization"] = "Bearer " + options_.token;
  net::Client client(options_.kombit, co);
  const std::string wait = std::to_string(options_.wait.count());
  for (;;) {
    std::optional<int64_t> cursor;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      cursor = cursor_;
    }
    bool ok = false;
    try {
      const auto r = client.Get(cursor ? "/v1/changes?limit=2000&wait_ms=" + wait + "&after=" + std::to_string(*cursor)
                                       : std::string("/v1/changes"));
      if (r.status == 200) {
        const auto j = nlohmann::json::parse(r.body);
        const std::string feed = j.at("feed").get<std::string>();
        const int64_t last = j.at("last_seq").get<int64_t>();
        const int64_t next = j.at("next_after").get<int64_t>();
        std::lock_guard<std::mutex> lock(mu_);
        if (!cursor_ || feed != feed_ || last < *cursor_) {
          Restart(feed, last);  // first contact, another database, or a reset one
        } else {
          for (const auto& c : j.at("items")) {
            ++applied_;
            changed_at_[c.at("cpr").get<std::string>()] = applied_;
          }
          cursor_ = next;
          if (changed_at_.size() > options_.max_tracked) Restart(feed, next);
        }
        caught_up_ = *cursor_ >= last;
        last_ok_ = options_.clock->Ticks();
        ok = true;
      } else if (r.status == 410) {
        // KOMBIT pruned changes this follower had not seen: start again from now, every
        // page remembered before being void.
        const auto e = nlohmann::json::parse(r.body).at("error");
        std::lock_guard<std::mutex> lock(mu_);
        ++fell_behind_;
        Restart(e.at("feed").get<std::string>(), e.at("last_seq").get<int64_t>());
        caught_up_ = false;  // the next poll, at once, says whether it has caught up
        ok = true;
      }
    } catch (const std::exception&) {
      // transport error, timeout or a malformed answer: not live until a poll succeeds
    }
    if (!ok) {
      std::unique_lock<std::mutex> lock(mu_);
      caught_up_ = false;
      ++polls_failed_;
      cv_.wait_for(lock, options_.retry, [&] { return stop_; });
    }
  }
}

}  // namespace adda::borger
