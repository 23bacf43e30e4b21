//! The browser's side of following the presenter: a `BroadcastChannel`
//! named after the deck, or, where a browser has none, a local-storage key
//! whose `storage` events the other windows hear. Either reaches only
//! windows of the same site in the same browser. What a message means and
//! who follows whom is `simdeck_deck::sync`'s.

use leptos::prelude::*;
use simdeck_deck::sync::{channel_name, Follower, Reaction, SyncMessage};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How messages travel.
enum Transport {
    /// A `BroadcastChannel`, with its message listener (kept alive here).
    Broadcast {
        channel: web_sys::BroadcastChannel,
        _listener: Closure<dyn Fn(web_sys::MessageEvent)>,
    },
    /// A local-storage key, with the window's `storage` listener.
    Storage(String, Closure<dyn Fn(web_sys::StorageEvent)>),
}

/// An open channel to the deck's other windows; closed when dropped.
pub struct Channel {
    transport: Transport,
}

impl Channel {
    /// Opens the channel `name`, calling `hear` with each message another
    /// window sends. `None` when the browser offers neither transport.
    pub fn open(name: &str, hear: impl Fn(String) + 'static) -> Option<Channel> {
        let has_broadcast = js_sys::Reflect::has(&window(), &JsValue::from_str("BroadcastChannel"))
            .unwrap_or(false);
        if has_broadcast {
            if let Ok(channel) = web_sys::BroadcastChannel::new(name) {
                let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                    move |e: web_sys::MessageEvent| {
                        if let Some(text) = e.data().as_string() {
                            hear(text);
                        }
                    },
                );
                channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
                return Some(Channel {
                    transport: Transport::Broadcast {
                        channel,
                        _listener: listener,
                    },
                });
            }
        }
        let key = format!("{name}-message");
        let wanted = key.clone();
        let listener =
            Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
                if e.key().as_deref() != Some(wanted.as_str()) {
                    return;
                }
                // The value is "<nonce> <message>": the nonce makes a repeated
                // message a change, which alone raises the event.
                if let Some((_, text)) = e.new_value().as_deref().and_then(|v| v.split_once(' ')) {
                    hear(text.to_string());
                }
            });
        window()
            .add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref())
            .ok()?;
        Some(Channel {
            transport: Transport::Storage(key, listener),
        })
    }

    /// Sends `text` to every other window on the channel.
    pub fn send(&self, text: &str) {
        match &self.transport {
            Transport::Broadcast { channel, .. } => {
                let _ = channel.post_message(&JsValue::from_str(text));
            }
            Transport::Storage(key, _) => {
                if let Some(storage) = window().local_storage().ok().flatten() {
                    let nonce = (js_sys::Math::random() * 1e9) as u64;
                    let _ = storage.set_item(key, &format!("{nonce} {text}"));
                }
            }
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        match &self.transport {
            Transport::Broadcast { channel, .. } => {
                channel.set_onmessage(None);
                channel.close();
            }
            Transport::Storage(_, listener) => {
                let _ = window().remove_event_listener_with_callback(
                    "storage",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    }
}

/// A player's link to the deck's other windows: the channel, and the
/// window's part in following ([`Follower`]).
#[derive(Clone, Copy)]
pub struct Link {
    channel: StoredValue<Option<Channel>, LocalStorage>,
    /// The window's role, and the presenter's latest state.
    pub follower: RwSignal<Follower>,
}

impl Link {
    /// Opens the channel of the deck titled `title` for a window following
    /// as `follower` says; `react` gets what each message heard asks for.
    /// A window that is not the presenter says hello, so that a presenter
    /// already at work tells it where it is.
    pub fn open(
        title: &str,
        follower: RwSignal<Follower>,
        react: impl Fn(Reaction) + 'static,
    ) -> Link {
        let hear = move |text: String| match SyncMessage::decode(&text) {
            Err(why) => {
                web_sys::console::warn_1(
                    &format!("simdeck: a sync message was ignored: {why}").into(),
                );
            }
            Ok(message) => match follower.try_update(|f| f.hear(message)) {
                Some(Reaction::Ignore(_)) | None => {}
                Some(reaction) => react(reaction),
            },
        };
        let channel = Channel::open(&channel_name(title), hear);
        let link = Link {
            channel: StoredValue::new_local(channel),
            follower,
        };
        if !follower.with_untracked(Follower::sends) {
            link.post(&SyncMessage::Hello);
        }
        link
    }

    /// Sends `message` when this window is the presenter; others never drive.
    pub fn send(&self, message: &SyncMessage) {
        if self.follower.try_with_untracked(Follower::sends) == Some(true) {
            self.post(message);
        }
    }

    fn post(&self, message: &SyncMessage) {
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                channel.send(&message.encode());
            }
        });
    }

    /// Closes the channel.
    pub fn close(&self) {
        drop(self.channel.try_update_value(Option::take));
    }
}
