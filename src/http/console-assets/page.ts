/**
 * The console's one HTML document. Static: it carries no data and needs no token; the script
 * fills it in from the admin API. No inline script or style, so the CSP can forbid both.
 */
export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>aopgate console</title>
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/console.js"></script>
</head>
<body>
<header class="top">
  <h1>aopgate <span class="muted">console</span></h1>
  <nav id="tabs" aria-label="Sections" hidden>
    <a href="#apps" data-tab="apps">Apps</a>
    <a href="#sessions" data-tab="sessions">Sessions</a>
    <a href="#journal" data-tab="journal">Journal</a>
    <a href="#faults" data-tab="faults">Faults</a>
    <a href="#notifications" data-tab="notifications">Notifications</a>
    <a href="#clock" data-tab="clock">Clock</a>
  </nav>
  <button id="logout" type="button" class="ghost" hidden>Log out</button>
</header>
<main>
<p id="status" class="status" role="status" hidden></p>

<section id="login" class="panel narrow">
  <h2>Sign in</h2>
  <form id="login-form">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>
  <p id="login-error" class="error" role="alert" hidden></p>
  <p class="muted">The token is the gateway's <code>AOPGATE_ADMIN_TOKEN</code>. It stays in this tab only (sessionStorage).</p>
</section>

<section id="view-apps" class="view" hidden>
  <details class="panel" id="create-app-box">
    <summary>Create an app</summary>
    <form id="create-app" class="grid">
      <label>App ID <input name="app_id" placeholder="generated"></label>
      <label>Name <input name="name" placeholder="App …"></label>
      <label>Sign type <select name="sign_type"><option>RSA2</option><option>RSA</option></select></label>
      <label>Notify URL <input name="notify_url" type="url" placeholder="https://merchant.example/notify"></label>
      <label class="check"><input name="aes" type="checkbox"> AES-encrypt biz_content</label>
      <button type="submit">Create</button>
    </form>
    <p id="create-app-error" class="error" role="alert" hidden></p>
  </details>
  <div id="created-app" class="panel warn" hidden>
    <h3>App <span id="created-app-id"></span> created</h3>
    <p><strong>Copy the private key now: aopgate does not store it and cannot show it again.</strong></p>
    <textarea id="created-key" readonly rows="6" spellcheck="false"></textarea>
    <p><button type="button" id="copy-key">Copy private key</button> <span id="copy-result" class="muted"></span></p>
    <div id="created-aes" hidden><p>AES key:</p><textarea id="created-aes-key" readonly rows="1" spellcheck="false"></textarea></div>
    <button type="button" id="dismiss-created" class="ghost">I have saved it</button>
  </div>
  <details class="panel" id="platform-box">
    <summary>Platform (Alipay) public key</summary>
    <div id="platform"></div>
  </details>
  <div class="bar"><h2>Apps</h2><button type="button" class="refresh ghost">Refresh</button></div>
  <div id="apps-list" class="cards"></div>
</section>

<section id="view-sessions" class="view" hidden>
  <form class="filters" id="sessions-filter">
    <label>App ID <input name="app_id"></label>
    <label>Limit <input name="limit" type="number" min="1" max="500" value="50"></label>
    <button type="submit">Show</button>
  </form>
  <div id="sessions-list"></div>
</section>

<section id="view-journal" class="view" hidden>
  <form class="filters" id="journal-filter">
    <label>App ID <input name="app_id"></label>
    <label>Method <input name="method"></label>
    <label>Code <input name="code" inputmode="numeric"></label>
    <label>Sub code <input name="sub_code"></label>
    <label>Limit <input name="limit" type="number" min="1" max="1000" value="100"></label>
    <button type="submit">Show</button>
  </form>
  <div id="journal-detail" class="panel" hidden></div>
  <div id="journal-list"></div>
</section>

<section id="view-faults" class="view" hidden>
  <details class="panel" id="add-fault-box" open>
    <summary>Add a fault rule</summary>
    <form id="add-fault" class="grid">
      <label>App ID <input name="app_id" placeholder="any"></label>
      <label>Method <input name="method" placeholder="any"></label>
      <label>Code <input name="code" placeholder="20000" inputmode="numeric"></label>
      <label>Sub code <input name="sub_code"></label>
      <label>Sub message <input name="sub_msg"></label>
      <label>Latency ms <input name="latency_ms" type="number" min="0"></label>
      <label>Probability <input name="probability" type="number" step="any" min="0" max="1" placeholder="1"></label>
      <label>Count <input name="count" type="number" min="1" placeholder="unlimited"></label>
      <label class="check"><input name="drop" type="checkbox"> Drop the connection</label>
      <button type="submit">Add</button>
    </form>
    <p id="add-fault-error" class="error" role="alert" hidden></p>
  </details>
  <div class="bar"><h2>Fault rules</h2><button type="button" class="refresh ghost">Refresh</button></div>
  <div id="faults-list"></div>
</section>

<section id="view-notifications" class="view" hidden>
  <form class="filters" id="notifications-filter">
    <label>App ID <input name="app_id"></label>
    <button type="submit">Show</button>
  </form>
  <div id="notifications-list" class="cards"></div>
</section>

<section id="view-clock" class="view" hidden>
  <div class="panel narrow">
    <h2>Gateway clock</h2>
    <p>Now: <strong id="clock-now">…</strong></p>
    <p>Offset: <span id="clock-offset">…</span></p>
    <form id="clock-advance" class="filters">
      <label>Advance by <input name="advance" placeholder="25h" required></label>
      <button type="submit">Advance</button>
      <button type="button" id="clock-reset" class="ghost">Reset</button>
    </form>
    <p id="clock-error" class="error" role="alert" hidden></p>
  </div>
</section>
</main>
</body>
</html>
`;
