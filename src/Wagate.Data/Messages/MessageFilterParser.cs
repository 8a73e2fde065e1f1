using System.Globalization;
using System.Text;
using Google.Protobuf.Reflection;
using Wagate.Contracts.Message.V1;

namespace Wagate.Data.Messages;

/// <summary>Parses ListMessages' filter, the AIP-160 subset the API documents: conditions joined
/// by AND on <c>direction</c>, <c>state</c> and <c>chat</c> (with <c>=</c>) and
/// <c>create_time</c> (RFC 3339, with <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> or
/// <c>=</c>). Values may be quoted ("...") or bare. For example
/// <c>direction = DIRECTION_OUTBOUND AND create_time &gt;= "2026-11-01T00:00:00Z"</c>.</summary>
public static class MessageFilterParser
{
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK",
    ];

    /// <exception cref="MessageFilterException">The filter does not parse; the message names the
    /// part that does not.</exception>
    public static MessageFilter Parse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var tokens = new Lexer(filter).Tokens();
        var result = MessageFilter.None;
        var i = 0;
        while (i < tokens.Count)
        {
            if (i > 0)
            {
                if (tokens[i] is not { Kind: TokenKind.Word, Text: "AND" })
                {
                    throw tokens[i].Text is "OR" or "or" or "and" or "NOT" or "not"
                        ? Error($"\"{tokens[i].Text}\" is not supported: join conditions with AND (upper case)")
                        : Error($"expected AND after a condition, found \"{tokens[i].Text}\"");
                }
                i++;
                if (i == tokens.Count)
                {
                    throw Error("AND must be followed by a condition");
                }
            }
            if (tokens.Count - i < 3)
            {
                throw Error($"\"{string.Join(' ', tokens.Skip(i).Select(t => t.Text))}\" is not a condition: write a field, an operator and a value, such as state = STATE_READ");
            }
            var (field, op, value) = (tokens[i], tokens[i + 1], tokens[i + 2]);
            if (field.Kind != TokenKind.Word)
            {
                throw Error($"expected a field name, found \"{field.Text}\"");
            }
            if (op.Kind != TokenKind.Operator)
            {
                throw Error($"expected an operator after \"{field.Text}\", found \"{op.Text}\"");
            }
            if (value.Kind == TokenKind.Operator)
            {
                throw Error($"expected a value after \"{field.Text} {op.Text}\", found \"{value.Text}\"");
            }
            result = Apply(result, field.Text, op.Text, value.Text);
            i += 3;
        }
        return result;
    }

    private static MessageFilter Apply(MessageFilter filter, string field, string op, string value)
    {
        switch (field)
        {
            case "direction":
                RequireEquals(field, op);
                if (filter.Direction is not null)
                {
                    throw Error("direction is given twice");
                }
                return filter with { Direction = (Message.Types.Direction)EnumValue(field, "Direction", value) };
            case "state":
                RequireEquals(field, op);
                if (filter.State is not null)
                {
                    throw Error("state is given twice");
                }
                return filter with { State = (Message.Types.State)EnumValue(field, "State", value) };
            case "chat":
                RequireEquals(field, op);
                if (filter.Chat is not null)
                {
                    throw Error("chat is given twice");
                }
                if (value.Length == 0)
                {
                    throw Error("chat needs a phone number or chat id");
                }
                return filter with { Chat = value };
            case "create_time":
                return WithTime(filter, op, ParseTime(value));
            default:
                throw Error($"unknown field \"{field}\": filter on direction, state, chat or create_time");
        }
    }

    private static MessageFilter WithTime(MessageFilter filter, string op, DateTime time)
    {
        var lower = op switch
        {
            ">" => new TimeBound(time, Inclusive: false),
            ">=" or "=" => new TimeBound(time, Inclusive: true),
            _ => null,
        };
        var upper = op switch
        {
            "<" => new TimeBound(time, Inclusive: false),
            "<=" or "=" => new TimeBound(time, Inclusive: true),
            _ => null,
        };
        if (lower is null && upper is null)
        {
            throw Error($"create_time takes <, <=, >, >= or =, not \"{op}\"");
        }
        if ((lower is not null && filter.MinCreateTime is not null) || (upper is not null && filter.MaxCreateTime is not null))
        {
            throw Error($"create_time {op} repeats a bound already given: give at most one lower and one upper bound");
        }
        return filter with
        {
            MinCreateTime = lower ?? filter.MinCreateTime,
            MaxCreateTime = upper ?? filter.MaxCreateTime,
        };
    }

    private static DateTime ParseTime(string value)
    {
        // RFC 3339 only: a date, a time and an offset ("Z" or "+01:00"), no local times.
        if (value.Length > 0 && (value[^1] is 'Z' or 'z' || value.LastIndexOfAny(['+', '-']) > "yyyy-MM-ddTHH".Length)
            && DateTimeOffset.TryParseExact(value, TimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time.UtcDateTime;
        }
        throw Error($"create_time: \"{value}\" is not an RFC 3339 time such as \"2026-11-01T00:00:00Z\"");
    }

    private static void RequireEquals(string field, string op)
    {
        if (op != "=")
        {
            throw Error($"{field} takes = only, not \"{op}\"");
        }
    }

    /// <summary>A value of the message's enum by its name in the contract; UNSPECIFIED is no
    /// state a message is ever in, so it is refused rather than matching nothing.</summary>
    private static int EnumValue(string field, string enumName, string value)
    {
        var type = Message.Descriptor.EnumTypes.Single(e => e.Name == enumName);
        if (type.FindValueByName(value) is { Number: > 0 } found)
        {
            return found.Number;
        }
        var names = string.Join(", ", type.Values.Where(v => v.Number > 0).Select(v => v.Name));
        throw Error($"{field}: \"{value}\" is not one of {names}");
    }

    private static MessageFilterException Error(string message) => new("filter: " + message);

    private enum TokenKind
    {
        Word,
        Quoted,
        Operator,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private sealed class Lexer(string text)
    {
        private int _position;

        public List<Token> Tokens()
        {
            var tokens = new List<Token>();
            while (true)
            {
                while (_position < text.Length && char.IsWhiteSpace(text[_position]))
                {
                    _position++;
                }
                if (_position == text.Length)
                {
                    return tokens;
                }
                var c = text[_position];
                tokens.Add(c switch
                {
                    '"' => Quoted(),
                    '<' or '>' or '=' or '!' => Operator(),
                    // ":" is AIP-160's "has", refused by Operator; inside a bare time
                    // ("12:00:00Z") it is part of the word.
                    ':' when _position == 0 || char.IsWhiteSpace(text[_position - 1]) => Operator(),
                    _ => Word(),
                });
            }
        }

        private Token Operator()
        {
            var start = _position++;
            if (_position < text.Length && text[_position] == '=' && text[start] != '=' && text[start] != ':')
            {
                _position++;
            }
            var op = text[start.._position];
            return op is "=" or "<" or "<=" or ">" or ">="
                ? new Token(TokenKind.Operator, op)
                : throw Error($"operator \"{op}\" is not supported: use =, <, <=, > or >=");
        }

        private Token Quoted()
        {
            var value = new StringBuilder();
            _position++;
            while (_position < text.Length)
            {
                var c = text[_position++];
                if (c == '"')
                {
                    return new Token(TokenKind.Quoted, value.ToString());
                }
                if (c == '\\' && _position < text.Length)
                {
                    c = text[_position++];
                }
                value.Append(c);
            }
            throw Error($"the quoted value \"{value} is not closed with \"");
        }

        private Token Word()
        {
            var start = _position;
            while (_position < text.Length && !char.IsWhiteSpace(text[_position])
                && text[_position] is not ('"' or '<' or '>' or '=' or '!'))
            {
                if (text[_position] == '(' || text[_position] == ')')
                {
                    throw Error("parentheses are not supported: join conditions with AND");
                }
                _position++;
            }
            return new Token(TokenKind.Word, text[start.._position]);
        }
    }
}
