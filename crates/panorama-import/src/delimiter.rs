//! Which of comma, semicolon or tab separates a CSV file's cells, judged from its header line.

/// The delimiters a CSV file may use, in order of preference when counts tie.
const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];

/// The delimiter of the first non-blank line of `text`: the candidate seen most often outside
/// quotes. Tab wins whenever present in UTF-16 files (Excel's "Unicode text" is tab-separated).
/// A line with none of them is a one-column file; comma is as good as any there.
pub(crate) fn detect(text: &str, utf16: bool) -> u8 {
    let counts = count_in_header(text);
    if utf16 && counts[2] > 0 {
        return b'\t';
    }
    let mut best = 0;
    for (index, &count) in counts.iter().enumerate() {
        if count > counts[best] {
            best = index;
        }
    }
    CANDIDATES[best]
}

/// How often each candidate appears outside quotes in the first line that holds anything.
fn count_in_header(text: &str) -> [usize; 3] {
    let mut counts = [0; 3];
    let mut quoted = false;
    let mut seen_content = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => {
                if seen_content {
                    break;
                }
            }
            _ if quoted => {}
            _ => {
                if let Some(index) = CANDIDATES.iter().position(|&c| c == byte) {
                    counts[index] += 1;
                }
                seen_content |= !byte.is_ascii_whitespace();
            }
        }
        seen_content |= byte == b'"';
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn the_most_frequent_delimiter_of_the_header_wins() {
        assert_eq!(detect("name,mobile,email\n", false), b',');
        assert_eq!(detect("name;mobile;email\r\na,b;c\n", false), b';');
        assert_eq!(detect("name\tmobile\temail\n", false), b'\t');
        assert_eq!(detect("\n\nname;city,state;x\n", false), b';');
    }

    #[test]
    fn quoted_delimiters_do_not_count() {
        assert_eq!(detect("\"a;b;c\",\"d;e\"\n", false), b',');
        assert_eq!(detect("\"line\nbreak\";x;y\n1,2,3,4,5\n", false), b';');
    }

    #[test]
    fn one_column_and_utf16_tab() {
        assert_eq!(detect("mobile\n138\n", false), b',');
        assert_eq!(detect("name, city\tmobile, email\n", true), b'\t');
        assert_eq!(detect("", false), b',');
    }
}
