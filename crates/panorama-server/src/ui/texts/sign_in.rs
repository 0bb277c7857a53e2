//! Signing in and out, and the roles as the header names them.

/// `(key, English, Chinese)`, sorted by key.
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("role.admin", "Admin", "管理员"),
    ("role.marketer", "Marketer", "营销人员"),
    ("role.viewer", "Viewer", "只读用户"),
    (
        "sign_in.locked",
        "Too many wrong passwords: this account is locked for 30 minutes",
        "密码错误次数过多，该账户已锁定 30 分钟",
    ),
    ("sign_in.name", "User name", "用户名"),
    ("sign_in.password", "Password", "密码"),
    ("sign_in.sign_out", "Sign out", "退出登录"),
    ("sign_in.submit", "Sign in", "登录"),
    ("sign_in.title", "Sign in to Panorama", "登录 Panorama"),
    (
        "sign_in.wrong",
        "Wrong user name or password",
        "用户名或密码错误",
    ),
];
