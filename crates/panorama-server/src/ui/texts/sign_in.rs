//! Signing in and out, and the roles as the header names them.

/// `(key, English, Chinese)`, sorted by key.
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("role.admin", "Admin", "管理员"),
    ("role.marketer", "Marketer", "营销人员"),
    ("role.viewer", "Viewer", "只读用户"),
    ("sign_in.name", "User name", "用户名"),
    ("sign_in.password", "Password", "密码"),
    ("sign_in.sign_out", "Sign out", "退出登录"),
    ("sign_in.submit", "Sign in", "登录"),
    ("sign_in.title", "Sign in to Panorama", "登录 Panorama"),
    (
        "sign_in.too_many",
        "Too many sign-in attempts from your address: wait a minute and try again",
        "您的地址登录尝试次数过多，请等待一分钟后再试",
    ),
    (
        "sign_in.wrong",
        "Wrong user name or password. After several wrong attempts, wait a few seconds before trying again.",
        "用户名或密码错误。多次输错后，请等待几秒钟再试。",
    ),
];
