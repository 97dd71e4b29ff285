// Entry point: binds the page's controls, then shows the app when a session is still open, else the login.
// The parts: auth.js (logged out), session.js (logged in: start and stop), user-channel.js (what the servers push
// to me), contacts.js ("Online now" and contacts), rooms.js, chat-view.js (the open chat's wiring; chat.js is the
// chat itself).
import { api } from './api.js';
import { bindAuth, showAuth } from './auth.js';
import { bindSession, startApp } from './session.js';
import { bindContacts } from './contacts.js';
import { bindRooms } from './rooms.js';
import { bindChatView } from './chat-view.js';

bindAuth();
bindSession();
bindContacts();
bindRooms();
bindChatView();

api.get('/api/sessions/me', { allow401: true })
  .then((answer) => startApp(answer.user))
  .catch(() => showAuth());
